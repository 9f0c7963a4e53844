using NexusOrleans.Gateway.Relay;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Testing;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

/// <summary>The signed relay list shows each relay's measured latency: the median canary latency its quality grain recorded.</summary>
public sealed class RelayLatencyTests : ListedRelaysTest
{
    [Fact]
    public async Task RelayList_WithDeliveredCanaries_ShowsTheirMedianLatencyAndStillVerifies()
    {
        await RecordCanariesAsync(Cluster.RelayKeys[0], "a", 30, 40, 55);

        var list = await GetListAsync(1);

        Assert.True(RelayListSignature.Verify(list));
        Assert.Equal(40, LatencyOf(list, 0));
        Assert.Null(LatencyOf(list, 1));
    }

    [Fact]
    public async Task RelayList_LatencyInFractionsOfAMillisecond_IsRoundedToTheNearest()
    {
        var sentAt = Cluster.Clock.GetUtcNow();
        var quality = Cluster.Grains.GetRelayQuality(Cluster.RelayKeys[0]);
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
        await RecordCanariesAsync(Cluster.RelayKeys[0], "a", 40);

        Cluster.Clock.Advance(RelayLatencies.CacheFor - TimeSpan.FromSeconds(1));
        Assert.Null(LatencyOf(await GetListAsync(0), 0));

        Cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(async () => LatencyOf(await GetListAsync(0), 0) == 40, "the refreshed list shows the latency");
    }

    [Fact]
    public async Task RelayList_InAnHourWithNoDeliveredCanaryYet_ShowsThePreviousHoursMedian()
    {
        await RecordCanariesAsync(Cluster.RelayKeys[0], "previous", 40);
        Cluster.Clock.Advance(TimeSpan.FromHours(1));
        await RecordCanariesAsync(Cluster.RelayKeys[1], "current", 25);

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
        var quality = Cluster.Grains.GetRelayQuality(relayKey);
        var sentAt = Cluster.Clock.GetUtcNow();
        for (var i = 0; i < latenciesMs.Length; i++)
        {
            await quality.CanarySent($"{prefix}-{i}", sentAt);
            Assert.True(await quality.CanaryDelivered($"{prefix}-{i}", sentAt + TimeSpan.FromMilliseconds(latenciesMs[i])));
        }
    }

    private int? LatencyOf(SignedRelayList list, int gateway) => list.Relays.Single(relay => relay.Key == Cluster.RelayKeys[gateway]).LatencyMs;

}
