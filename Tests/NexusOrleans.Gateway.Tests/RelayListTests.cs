using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Testing;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

/// <summary>Staked gateways register themselves at start-up, heartbeat, and are listed, signed, to phones.</summary>
public sealed class RelayListTests : ListedRelaysTest
{
    [Fact]
    public async Task RelayList_AfterStartUp_ListsEveryGatewaySignedByTheAnsweringRelay()
    {
        var list = await GetListAsync(1);

        Assert.True(RelayListSignature.Verify(list));
        Assert.Equal(Cluster.RelayKeys[1], list.Relay);
        Assert.Equal(Cluster.Clock.GetUtcNow().ToUnixTimeMilliseconds(), list.IssuedAt);
        var expected = Enumerable.Range(0, 2)
            .Select(i => new ListedRelay(Cluster.RelayKeys[i], Cluster.Endpoints[i].ToString(), Cluster.OperatorWallets[i], "1000000000000000000000000", ListedRelayStatus.Live, null))
            .OrderBy(relay => relay.Key, StringComparer.Ordinal);
        Assert.Equal(expected, list.Relays);
    }

    [Fact]
    public async Task RelayList_WithAnyMemberChangedInTheJson_FailsVerification()
    {
        using var response = await GetAsync(0);
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var tampered = json.Replace(Cluster.Endpoints[1].ToString(), "ws://203.0.113.9:443/v1/ws", StringComparison.Ordinal);

        Assert.NotEqual(json, tampered);
        Assert.True(RelayListSignature.Verify(Parse(json)));
        Assert.False(RelayListSignature.Verify(Parse(tampered)));
    }

    [Fact]
    public async Task RelayList_SignedByTheRelay_VerifiesOnlyUnderItsKey()
    {
        var list = await GetListAsync(0);

        var claimedByTheOther = list with { Relay = Cluster.RelayKeys[1] };

        Assert.True(RelayListSignature.Verify(list));
        Assert.False(RelayListSignature.Verify(claimedByTheOther));
    }

    [Fact]
    public async Task RelaysFrame_ListsThisRelayThenTheDirectorysLiveRelays()
    {
        await using var phone = await RawPhone.ConnectAsync(Cluster.Endpoints[0]);

        var answer = await phone.RequestAsync(new WireFrame { Type = FrameTypes.Relays });

        Assert.Equal(
            new[] { new RelayInfo(Cluster.RelayKeys[0], Cluster.Endpoints[0].ToString(), Cluster.OperatorWallets[0]), new RelayInfo(Cluster.RelayKeys[1], Cluster.Endpoints[1].ToString(), Cluster.OperatorWallets[1]) },
            answer.Relays);
    }

    [Fact]
    public async Task Gateway_HeartbeatingEveryInterval_StaysListedLongPastTheOutageGap()
    {
        var relayOperator = Cluster.Grains.GetRelayOperator(Cluster.OperatorWallets[0]);
        for (var beat = 0; beat < 12; beat++)
        {
            Cluster.Clock.Advance(TimeSpan.FromSeconds(10));
            var now = Cluster.Clock.GetUtcNow();
            await Poll.UntilAsync(async () => (await relayOperator.GetOperator()).Nodes.Single().LastHeartbeat == now, $"heartbeat {beat + 1} arrives");
        }

        var node = (await relayOperator.GetOperator()).Nodes.Single();
        Assert.Equal((RelayNodeStatus.Live, 13), (node.Status, node.Hours.Sum(hour => hour.Heartbeats)));
        Assert.Empty(node.Gaps);
        Assert.Equal(2, (await GetListAsync(0)).Relays.Count);
    }

    [Fact]
    public async Task Registration_LogsThatTheRelayIsListed()
    {
        // The directory lists the relay as soon as the operator grain registers it; the gateway logs once that call returns.
        bool Logged(NexusOrleans.Testing.LogCollector.LogLine line) => line.EventId.Id == 4010 && line.Message.Contains(Cluster.RelayKeys[0], StringComparison.Ordinal);
        await Poll.UntilAsync(() => Task.FromResult(Cluster.Logs.Lines.Any(Logged)), "the registration is logged");
        var line = Assert.Single(Cluster.Logs.Lines, Logged);

        Assert.Contains($"at {Cluster.Endpoints[0]} for operator {Cluster.OperatorWallets[0]}", line.Message, StringComparison.Ordinal);
    }



}
