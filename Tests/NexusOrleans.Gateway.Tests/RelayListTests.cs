using System.Net;
using System.Text.Json;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Testing;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

/// <summary>Staked gateways register themselves at start-up, heartbeat, and are listed, signed, to phones.</summary>
public sealed class RelayListTests : IAsyncLifetime
{
    private static readonly UInt128 Stake = Tokens.Whole(1_000_000);
    private readonly HttpClient _http = new();
    private RelayCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await RelayCluster.StartAsync(gateways: 2, operatorStake: Stake, staticPeers: false);
        await Poll.UntilAsync(async () => (await _cluster.Grains.GetRelayDirectory().List()).Count == 2, "both gateways are registered");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task RelayList_AfterStartUp_ListsEveryGatewaySignedByTheAnsweringRelay()
    {
        var list = await GetListAsync(1);

        Assert.True(RelayListSignature.Verify(list));
        Assert.Equal(_cluster.RelayKeys[1], list.Relay);
        Assert.Equal(_cluster.Clock.GetUtcNow().ToUnixTimeMilliseconds(), list.IssuedAt);
        var expected = Enumerable.Range(0, 2)
            .Select(i => new ListedRelay(_cluster.RelayKeys[i], _cluster.Endpoints[i].ToString(), _cluster.OperatorWallets[i], "1000000000000000000000000", ListedRelayStatus.Live, null))
            .OrderBy(relay => relay.Key, StringComparer.Ordinal);
        Assert.Equal(expected, list.Relays);
    }

    [Fact]
    public async Task RelayList_WithAnyMemberChangedInTheJson_FailsVerification()
    {
        using var response = await _http.GetAsync(ListUri(0), TestContext.Current.CancellationToken);
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var tampered = json.Replace(_cluster.Endpoints[1].ToString(), "ws://203.0.113.9:443/v1/ws", StringComparison.Ordinal);

        Assert.NotEqual(json, tampered);
        Assert.True(RelayListSignature.Verify(Parse(json)));
        Assert.False(RelayListSignature.Verify(Parse(tampered)));
    }

    [Fact]
    public async Task RelayList_SignedByTheRelay_VerifiesOnlyUnderItsKey()
    {
        var list = await GetListAsync(0);

        var claimedByTheOther = list with { Relay = _cluster.RelayKeys[1] };

        Assert.True(RelayListSignature.Verify(list));
        Assert.False(RelayListSignature.Verify(claimedByTheOther));
    }

    [Fact]
    public async Task RelaysFrame_ListsThisRelayThenTheDirectorysLiveRelays()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        var answer = await phone.RequestAsync(new WireFrame { Type = FrameTypes.Relays });

        Assert.Equal(
            new[] { new RelayInfo(_cluster.RelayKeys[0], _cluster.Endpoints[0].ToString(), _cluster.OperatorWallets[0]), new RelayInfo(_cluster.RelayKeys[1], _cluster.Endpoints[1].ToString(), _cluster.OperatorWallets[1]) },
            answer.Relays);
    }

    [Fact]
    public async Task Gateway_HeartbeatingEveryInterval_StaysListedLongPastTheOutageGap()
    {
        var relayOperator = _cluster.Grains.GetRelayOperator(_cluster.OperatorWallets[0]);
        for (var beat = 0; beat < 12; beat++)
        {
            _cluster.Clock.Advance(TimeSpan.FromSeconds(10));
            var now = _cluster.Clock.GetUtcNow();
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
        bool Logged(NexusOrleans.Testing.LogCollector.LogLine line) => line.EventId.Id == 4010 && line.Message.Contains(_cluster.RelayKeys[0], StringComparison.Ordinal);
        await Poll.UntilAsync(() => Task.FromResult(_cluster.Logs.Lines.Any(Logged)), "the registration is logged");
        var line = Assert.Single(_cluster.Logs.Lines, Logged);

        Assert.Contains($"at {_cluster.Endpoints[0]} for operator {_cluster.OperatorWallets[0]}", line.Message, StringComparison.Ordinal);
    }

    private Uri ListUri(int gateway) => new($"http://127.0.0.1:{_cluster.Endpoints[gateway].Port}/v1/relays");

    private async Task<SignedRelayList> GetListAsync(int gateway)
    {
        using var response = await _http.GetAsync(ListUri(gateway), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static SignedRelayList Parse(string json) => JsonSerializer.Deserialize(json, RelayListJson.Default.SignedRelayList)!;
}
