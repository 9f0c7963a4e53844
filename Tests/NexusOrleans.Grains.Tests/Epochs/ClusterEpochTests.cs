using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Epochs;

/// <summary>
/// Epochs over the real cluster: a staked operator registers a node, heartbeats on the cluster's clock, and the scheduler
/// pays it from what the operator grain recorded (ClusterEpochInputs), with no test inputs in between.
/// </summary>
public sealed class ClusterEpochTests : RelaySiloTest
{
    private static readonly DateTimeOffset Ten = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    protected override StoreKind Store => StoreKind.Sqlite;

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddEpochs();
    }

    [Fact]
    public async Task Scheduler_ANodeServingFromTenOhOneUntilOneOClock_IsPaidForElevenAndTwelve()
    {
        var (silo, op, relay) = await RegisteredAtAsync(Ten.AddMinutes(1));

        await HeartbeatUntilAsync(silo, op, relay, Ten.AddHours(3));
        Clock.Advance(TimeSpan.FromMinutes(3));

        await Eventually(async () => await Scheduler(silo).LastClosed() == EpochKeys.Format(Ten.AddHours(2)), "the scheduler closed 10:00, 11:00 and 12:00");
        Assert.Equal(Tokens.Whole(200), (await silo.Grains.GetGrain<IAccountGrain>(op.Address).GetAccount()).Balance);
        Assert.Empty((await Epoch(silo, Ten).GetBatch())!.Leaves);
        Assert.Equal(Tokens.Whole(100), Assert.Single((await Epoch(silo, Ten.AddHours(2)).GetBatch())!.Leaves).Reward);
    }

    [Fact]
    public async Task Scheduler_AFiveMinuteSilenceInAnHour_PaysNothingForThatHour()
    {
        var (silo, op, relay) = await RegisteredAtAsync(Ten.AddMinutes(1));

        await HeartbeatUntilAsync(silo, op, relay, Ten.AddMinutes(90));
        Clock.Advance(TimeSpan.FromMinutes(5));
        await HeartbeatUntilAsync(silo, op, relay, Ten.AddHours(3));
        Clock.Advance(TimeSpan.FromMinutes(3));

        await Eventually(async () => await Scheduler(silo).LastClosed() == EpochKeys.Format(Ten.AddHours(2)), "the scheduler closed 10:00, 11:00 and 12:00");
        Assert.Empty((await Epoch(silo, Ten.AddHours(1)).GetBatch())!.Leaves);
        Assert.Equal(Tokens.Whole(100), (await silo.Grains.GetGrain<IAccountGrain>(op.Address).GetAccount()).Balance);
    }

    [Fact]
    public async Task Scheduler_LostAndSlowCanaries_LowerThatHoursRewardByTheLossAndLatencyRates()
    {
        // Defaults: loss threshold 1 %, loss penalty 50 %, latency threshold 500 ms, latency penalty 25 %.
        var (silo, op, relay) = await RegisteredAtAsync(Ten.AddMinutes(1));
        await HeartbeatUntilAsync(silo, op, relay, Ten.AddHours(1));

        // 11:00: a canary every minute, one in six never delivered (10 of 60 lost), the others at once.
        await HeartbeatUntilAsync(silo, op, relay, Ten.AddHours(2), (minute, id) => minute % 6 == 0 ? null : TimeSpan.Zero);
        await HeartbeatUntilAsync(silo, op, relay, Ten.AddHours(2).AddMinutes(3));
        await Eventually(async () => await Scheduler(silo).LastClosed() == EpochKeys.Format(Ten.AddHours(1)), "the scheduler closed 11:00 while its canaries are kept");

        // 12:00 (from 12:03): every canary delivered, each after one second.
        await HeartbeatUntilAsync(silo, op, relay, Ten.AddHours(3), (minute, id) => TimeSpan.FromSeconds(1));
        Clock.Advance(TimeSpan.FromMinutes(3));

        await Eventually(async () => await Scheduler(silo).LastClosed() == EpochKeys.Format(Ten.AddHours(2)), "the scheduler closed 12:00");
        var slow = await silo.Grains.GetRelayQuality(relay.Identity.ToString()).GetPeriod(Ten.AddHours(2), TimeSpan.FromHours(1));
        Assert.Equal(Tokens.Whole(50), Assert.Single((await Epoch(silo, Ten.AddHours(1)).GetBatch())!.Leaves).Reward);
        Assert.Equal(Tokens.Whole(75), Assert.Single((await Epoch(silo, Ten.AddHours(2)).GetBatch())!.Leaves).Reward);
        Assert.Equal(Tokens.Whole(125), (await silo.Grains.GetGrain<IAccountGrain>(op.Address).GetAccount()).Balance);
        Assert.Equal((57, 57, TimeSpan.FromSeconds(1)), (slow.Sent, slow.Delivered, slow.MedianLatency));
    }

    [Fact]
    public void Judge_WithCanaries_CountsTheJudgedOnesAndLeavesPendingOnesOut()
    {
        var node = new RelayNodeSnapshot(
            new string('a', 64), "wss://relay.example.org/v1/ws", RelayNodeStatus.Live, Ten, null, Ten.AddHours(1), [], [], []);
        var canaries = new CanaryPeriod(Ten, TimeSpan.FromHours(1), Sent: 10, Delivered: 6, Lost: 3, MedianLatency: TimeSpan.FromMilliseconds(40), AsOf: Ten.AddHours(1));

        var hour = ClusterEpochInputs.Judge("0x" + new string('b', 40), node, Ten, TimeSpan.FromMinutes(1), Ten.AddHours(1), canaries);

        Assert.Equal((9, 6, TimeSpan.FromMilliseconds(40)), (hour.CanariesSent, hour.CanariesDelivered, hour.MedianCanaryLatency));
        Assert.True(hour.ServedWholeHour);
    }

    [Fact]
    public void ServiceOf_GapsLongerThanTheOutageGap_SplitTheServiceAndShortOnesDoNot()
    {
        var node = new RelayNodeSnapshot(
            new string('a', 64),
            "wss://relay.example.org/v1/ws",
            RelayNodeStatus.Live,
            Ten,
            UnregisteredAt: null,
            LastHeartbeat: Ten.AddHours(2),
            Events: [],
            Gaps: [new HeartbeatGap(Ten.AddMinutes(10), Ten.AddMinutes(10).AddSeconds(50)), new HeartbeatGap(Ten.AddMinutes(70), Ten.AddMinutes(75))],
            Hours: []);

        var service = ClusterEpochInputs.ServiceOf(node, TimeSpan.FromMinutes(1), asOf: Ten.AddHours(2).AddSeconds(5));

        Assert.Equal([new ServiceInterval(Ten, Ten.AddMinutes(70)), new ServiceInterval(Ten.AddMinutes(75), Ten.AddHours(2).AddSeconds(5))], service);
    }

    private async Task<(TestSilo Silo, TestOperator Operator, ChatKeys Relay)> RegisteredAtAsync(DateTimeOffset at)
    {
        Clock.Advance(at - Clock.GetUtcNow());
        var silo = await StartSiloAsync();
        var op = NewOperator();
        var relay = NewRelayKey();
        await StakeAsync(silo, op.Address, MinimumStake);
        Assert.Equal(RelayRegistrationStatus.Registered, (await op.Grain(silo).Register(op.Registration(relay))).Status);
        return (silo, op, relay);
    }

    /// <summary>
    /// Heartbeats every interval until <paramref name="until"/>; with <paramref name="canary"/>, also records a canary
    /// through the node at half past every minute, delivered after the latency it answers (null: never delivered).
    /// </summary>
    private async Task HeartbeatUntilAsync(TestSilo silo, TestOperator op, ChatKeys relay, DateTimeOffset until, Func<int, string, TimeSpan?>? canary = null)
    {
        var quality = silo.Grains.GetRelayQuality(relay.Identity.ToString());
        while (Clock.GetUtcNow() + Heartbeat <= until)
        {
            Clock.Advance(Heartbeat);
            Assert.Equal(HeartbeatStatus.Recorded, (await op.Grain(silo).Heartbeat(relay.Identity.ToString())).Status);
            var now = Clock.GetUtcNow();
            if (canary is not null && now.Second == 30)
            {
                var id = $"canary-{now:HHmm}";
                if (canary(now.Minute, id) is { } latency)
                {
                    await quality.CanarySent(id, now - latency);
                    Assert.True(await quality.CanaryDelivered(id, now));
                }
                else
                {
                    await quality.CanarySent(id, now);
                }
            }
        }
    }

    private static IRewardEpochGrain Epoch(TestSilo silo, DateTimeOffset hour) => silo.Grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(hour));

    private static IEpochSchedulerGrain Scheduler(TestSilo silo) => silo.Grains.GetGrain<IEpochSchedulerGrain>(EpochKeys.Scheduler);
}
