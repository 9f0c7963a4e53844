using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Relays;

/// <summary>Heartbeats keep a node live; silence beyond the outage gap makes it stale, judged on the cluster's clock.</summary>
public abstract class RelayHeartbeatTests : RelaySiloTest
{
    private static readonly TimeSpan OutageGap = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Heartbeats_EveryInterval_KeepTheNodeLiveAndListed()
    {
        var (silo, op, relay) = await RegisteredAsync();

        for (var beat = 0; beat < 30; beat++)
        {
            Clock.Advance(Heartbeat);
            Assert.Equal(HeartbeatStatus.Recorded, (await op.Grain(silo).Heartbeat(Key(relay))).Status);
        }

        Assert.Equal(RelayNodeStatus.Live, (await NodeAsync(silo, op)).Status);
        Assert.Equal(Now, Assert.Single(await LiveAsync(silo)).LastHeartbeat);
        Assert.Empty((await NodeAsync(silo, op)).Gaps);
    }

    [Fact]
    public async Task Silence_LongerThanTheOutageGap_MarksTheNodeStaleAndDropsItFromTheList()
    {
        var (silo, op, _) = await RegisteredAsync();

        Clock.Advance(OutageGap + TimeSpan.FromSeconds(1));

        Assert.Equal(RelayNodeStatus.Stale, (await NodeAsync(silo, op)).Status);
        Assert.Empty(await LiveAsync(silo));
    }

    [Fact]
    public async Task Silence_OfExactlyTheOutageGap_LeavesTheNodeLive()
    {
        var (silo, op, _) = await RegisteredAsync();

        Clock.Advance(OutageGap);

        Assert.Equal(RelayNodeStatus.Live, (await NodeAsync(silo, op)).Status);
        Assert.Single(await LiveAsync(silo));
    }

    [Fact]
    public async Task Heartbeat_AfterAnOutage_MakesTheNodeLiveAgainAndRecordsTheGap()
    {
        var (silo, op, relay) = await RegisteredAsync();
        var lastBeat = Now;
        Clock.Advance(TimeSpan.FromMinutes(3));

        await op.Grain(silo).Heartbeat(Key(relay));

        var node = await NodeAsync(silo, op);
        Assert.Equal(RelayNodeStatus.Live, node.Status);
        var gap = Assert.Single(node.Gaps);
        Assert.Equal((lastBeat, Now, TimeSpan.FromMinutes(3)), (gap.From, gap.To, gap.Length));
        Assert.True(gap.Length > (await Network(silo).Get()).OutageGap);
        Assert.Single(await LiveAsync(silo));
    }

    [Fact]
    public async Task Heartbeat_OneBeatLate_RecordsNoGap()
    {
        var (silo, op, relay) = await RegisteredAsync();

        Clock.Advance(Heartbeat * 2);
        await op.Grain(silo).Heartbeat(Key(relay));

        Assert.Empty((await NodeAsync(silo, op)).Gaps);
    }

    [Fact]
    public async Task Heartbeat_MoreThanTwoIntervalsLate_RecordsAGapShorterThanAnOutage()
    {
        var (silo, op, relay) = await RegisteredAsync();

        Clock.Advance((Heartbeat * 2) + TimeSpan.FromSeconds(1));
        await op.Grain(silo).Heartbeat(Key(relay));

        var gap = Assert.Single((await NodeAsync(silo, op)).Gaps);
        Assert.Equal(TimeSpan.FromSeconds(21), gap.Length);
    }

    [Fact]
    public async Task Heartbeats_AreCountedPerHourForTheCurrentAndPreviousHourOnly()
    {
        var (silo, op, relay) = await RegisteredAsync();
        Clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(55));
        await op.Grain(silo).Heartbeat(Key(relay));
        Clock.Advance(TimeSpan.FromSeconds(10));
        await op.Grain(silo).Heartbeat(Key(relay));
        await op.Grain(silo).Heartbeat(Key(relay));
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(new[] { new HeartbeatHour(start, 2), new HeartbeatHour(start.AddHours(1), 2) }, (await NodeAsync(silo, op)).Hours);

        Clock.Advance(TimeSpan.FromHours(1));
        await op.Grain(silo).Heartbeat(Key(relay));

        var node = await NodeAsync(silo, op);
        Assert.Equal(new[] { new HeartbeatHour(start.AddHours(1), 2), new HeartbeatHour(start.AddHours(2), 1) }, node.Hours);
        Assert.Empty(node.Events);
        Assert.Single(node.Gaps);
    }

    [Fact]
    public async Task Heartbeat_OfAnUnknownRelay_AnswersNotRegistered()
    {
        var silo = await StartSiloAsync();

        var result = await NewOperator().Grain(silo).Heartbeat(Key(NewRelayKey()));

        Assert.Equal((HeartbeatStatus.NotRegistered, Heartbeat), (result.Status, result.HeartbeatInterval));
    }

    [Fact]
    public async Task Heartbeat_Answer_FollowsTheNetworksIntervalAfterAChange()
    {
        var (silo, op, relay) = await RegisteredAsync();
        var current = await Network(silo).Get();
        await Network(silo).Change(current with { HeartbeatInterval = TimeSpan.FromSeconds(20) }, "slower-heartbeats");
        Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await op.Grain(silo).Heartbeat(Key(relay));

        Assert.Equal(TimeSpan.FromSeconds(20), result.HeartbeatInterval);
    }

    [Fact]
    public async Task Directory_AfterTheOperatorUnstakes_DropsTheNodeWithinTheStakeRefresh()
    {
        var (silo, op, relay) = await RegisteredAsync();
        Assert.True((await silo.Grains.GetGrain<IAccountGrain>(op.Address).Unstake("unstake-1", Tokens.Whole(1))).Succeeded);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await op.Grain(silo).Heartbeat(Key(relay));

        Assert.Empty(await LiveAsync(silo));
        var snapshot = await op.Grain(silo).GetOperator();
        Assert.Equal(Tokens.Whole(999_999), snapshot.Stake);
        Assert.Equal(RelayNodeStatus.Live, Assert.Single(snapshot.Nodes).Status);
    }

    [Fact]
    public async Task Heartbeat_AfterASiloRestart_RecordsTheTimeTheSiloWasDownAsAGap()
    {
        var first = await StartSiloAsync();
        var op = NewOperator();
        var relay = NewRelayKey();
        await StakeAsync(first, op.Address, MinimumStake);
        await op.Grain(first).Register(op.Registration(relay));
        Clock.Advance(Heartbeat);
        await op.Grain(first).Heartbeat(Key(relay));
        await first.StopAsync();
        Clock.Advance(TimeSpan.FromMinutes(2));

        var second = await StartSiloAsync();
        await op.Grain(second).Heartbeat(Key(relay));

        Assert.Equal(TimeSpan.FromMinutes(2), Assert.Single((await NodeAsync(second, op)).Gaps).Length);
    }

    private async Task<(TestSilo Silo, TestOperator Operator, ChatKeys Relay)> RegisteredAsync()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        var relay = NewRelayKey();
        await StakeAsync(silo, op.Address, MinimumStake);
        Assert.Equal(RelayRegistrationStatus.Registered, (await op.Grain(silo).Register(op.Registration(relay))).Status);
        return (silo, op, relay);
    }

    private static async Task<RelayNodeSnapshot> NodeAsync(TestSilo silo, TestOperator op) => Assert.Single((await op.Grain(silo).GetOperator()).Nodes);

    private static string Key(ChatKeys relay) => relay.Identity.ToString();
}

public sealed class RelayHeartbeatTestsInMemory : RelayHeartbeatTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class RelayHeartbeatTestsOnSqlite : RelayHeartbeatTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class RelayHeartbeatTestsOnPostgres : RelayHeartbeatTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
