using System.Net;
using System.Text.Json;
using NexusOrleans.Gateway.Relay;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Testing;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

/// <summary>The signed relay list shows each relay's measured latency: the median canary latency its quality grain recorded.</summary>
public sealed class RelayLatencyTests : IAsyncLifetime
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
    public async Task RelayList_WithDeliveredCanaries_ShowsTheirMedianLatencyAndStillVerifies()
    {
        await RecordCanariesAsync(_cluster.RelayKeys[0], "a", 30, 40, 55);

        var list = await GetListAsync(1);

        Assert.True(RelayListSignature.Verify(list));
        Assert.Equal(40, LatencyOf(list, 0));
        Assert.Null(LatencyOf(list, 1));
    }

    [Fact]
    public async Task RelayList_LatencyInFractionsOfAMillisecond_IsRoundedToTheNearest()
    {
        var sentAt = _cluster.Clock.GetUtcNow();
        var quality = _cluster.Grains.GetRelayQuality(_cluster.RelayKeys[0]);
        await quality.CanarySent("round", sentAt);
        Assert.True(await quality.CanaryDelivered("round", sentAt + TimeSpan.FromMicroseconds(39_600)));

        var list = await GetListAsync(0);

        Assert.True(RelayListSignature.Verify(list));
        Assert.Equal(40, LatencyOf(list, 0));
    }

    [Fact]
    public async Task RelayList_WithinTheCacheTime_KeepsTheLatencyItMeasured_AndRefreshesAfterIt()
    {
        Assert.Null(LatencyOf(await GetListAsync(0), 0));
        await RecordCanariesAsync(_cluster.RelayKeys[0], "a", 40);

        _cluster.Clock.Advance(RelayLatencies.CacheFor - TimeSpan.FromSeconds(1));
        Assert.Null(LatencyOf(await GetListAsync(0), 0));

        _cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(async () => LatencyOf(await GetListAsync(0), 0) == 40, "the refreshed list shows the latency");
    }

    [Fact]
    public async Task RelayList_InAnHourWithNoDeliveredCanaryYet_ShowsThePreviousHoursMedian()
    {
        await RecordCanariesAsync(_cluster.RelayKeys[0], "previous", 40);
        _cluster.Clock.Advance(TimeSpan.FromHours(1));
        await RecordCanariesAsync(_cluster.RelayKeys[1], "current", 25);

        // The jump past the outage gap may take the relays out of the directory until their next heartbeat.
        SignedRelayList list = null!;
        await Poll.UntilAsync(async () => (list = await GetListAsync(0)).Relays.Count == 2, "both relays are listed again");

        Assert.True(RelayListSignature.Verify(list));
        Assert.Equal(40, LatencyOf(list, 0));
        Assert.Equal(25, LatencyOf(list, 1));
    }

    /// <summary>Records one canary per latency through relay <paramref name="relayKey"/>, sent now on the cluster's clock.</summary>
    private async Task RecordCanariesAsync(string relayKey, string prefix, params int[] latenciesMs)
    {
        var quality = _cluster.Grains.GetRelayQuality(relayKey);
        var sentAt = _cluster.Clock.GetUtcNow();
        for (var i = 0; i < latenciesMs.Length; i++)
        {
            await quality.CanarySent($"{prefix}-{i}", sentAt);
            Assert.True(await quality.CanaryDelivered($"{prefix}-{i}", sentAt + TimeSpan.FromMilliseconds(latenciesMs[i])));
        }
    }

    private int? LatencyOf(SignedRelayList list, int gateway) => list.Relays.Single(relay => relay.Key == _cluster.RelayKeys[gateway]).LatencyMs;

    private async Task<SignedRelayList> GetListAsync(int gateway)
    {
        using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{_cluster.Endpoints[gateway].Port}/v1/relays"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonSerializer.Deserialize(json, RelayListJson.Default.SignedRelayList)!;
    }
}
