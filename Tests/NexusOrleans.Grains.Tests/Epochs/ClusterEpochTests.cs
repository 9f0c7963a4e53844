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

        await Eventually(async () => await Scheduler(silo).LastClosed() == Ten.AddHours(2), "the scheduler closed 10:00, 11:00 and 12:00");
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

        await Eventually(async () => await Scheduler(silo).LastClosed() == Ten.AddHours(2), "the scheduler closed 10:00, 11:00 and 12:00");
        Assert.Empty((await Epoch(silo, Ten.AddHours(1)).GetBatch())!.Leaves);
        Assert.Equal(Tokens.Whole(100), (await silo.Grains.GetGrain<IAccountGrain>(op.Address).GetAccount()).Balance);
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

    private async Task HeartbeatUntilAsync(TestSilo silo, TestOperator op, ChatKeys relay, DateTimeOffset until)
    {
        while (Clock.GetUtcNow() + Heartbeat <= until)
        {
            Clock.Advance(Heartbeat);
            Assert.Equal(HeartbeatStatus.Recorded, (await op.Grain(silo).Heartbeat(relay.Identity.ToString())).Status);
        }
    }

    private static IRewardEpochGrain Epoch(TestSilo silo, DateTimeOffset hour) => silo.Grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(hour));

    private static IEpochSchedulerGrain Scheduler(TestSilo silo) => silo.Grains.GetGrain<IEpochSchedulerGrain>(EpochKeys.Scheduler);
}
