using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Testing;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

/// <summary>A gateway whose operator has not staked enough is refused, says so, and serves phones all the same.</summary>
public sealed class RelayRegistrationTests : IAsyncLifetime
{
    private RelayCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await RelayCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Gateway_WithoutStake_LogsTheRefusalAtWarningWithBothAmounts()
    {
        var line = await LogLineAsync(4012);

        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains(
            $"Relay registration refused (InsufficientStake): Operator {_cluster.OperatorWallets[0]} has 0 iChat staked; a relay needs at least 1000000 iChat staked.",
            line.Message,
            StringComparison.Ordinal);
        Assert.Contains("This relay keeps serving phones but is not listed", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_WithoutStake_StillServesPhones()
    {
        await LogLineAsync(4012);
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        var sent = await alice.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Keys.Identity, "unlisted but working", _cluster.Clock.GetUtcNow())));

        Assert.Equal(FrameTypes.Ok, sent.Type);
        Assert.Equal("unlisted but working", Envelopes.OpenText(await bob.NextDeliveryAsync(), bob.Keys));
    }

    [Fact]
    public async Task RelayList_WithNoRelayRegistered_IsEmptyAndSigned()
    {
        await LogLineAsync(4012);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_cluster.Endpoints[0].Port}/v1/relays"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), RelayListJson.Default.SignedRelayList)!;
        Assert.Empty(list.Relays);
        Assert.True(RelayListSignature.Verify(list));
    }

    [Fact]
    public async Task Gateway_StakedSoonAfterStartUp_IsListedAtItsNextAttempt()
    {
        await LogLineAsync(4012);
        await Ledger.StakeAsync(_cluster.Grains, _cluster.OperatorWallets[0], Tokens.Whole(1_000_000));

        _cluster.Clock.Advance(TimeSpan.FromSeconds(10));

        await Poll.UntilAsync(async () => (await _cluster.Grains.GetRelayDirectory().List()).Count == 1, "the gateway is listed");
        Assert.Equal(_cluster.RelayKeys[0], (await _cluster.Grains.GetRelayDirectory().List()).Single().RelayKey);
    }

    [Fact]
    public async Task Gateway_StillShortOfStakeAfterTheSkew_GivesUpAndSaysToRestart()
    {
        await LogLineAsync(4012);

        _cluster.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));

        var line = await LogLineAsync(4011);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.StartsWith("Relay registration refused (OutsideClockSkew)", line.Message, StringComparison.Ordinal);
        Assert.EndsWith("restart it to sign a new registration.", line.Message, StringComparison.Ordinal);
    }

    private async Task<Testing.LogCollector.LogLine> LogLineAsync(int eventId)
    {
        Testing.LogCollector.LogLine? line = null;
        await Poll.UntilAsync(() => Task.FromResult((line = _cluster.Logs.Lines.FirstOrDefault(candidate => candidate.EventId.Id == eventId)) is not null), $"event {eventId} is logged");
        return line!;
    }
}
