using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Protocol.Settlement;
using NexusOrleans.Runtime;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Epochs;

/// <summary>Closing hours: full hours only, paid once across restarts, the batch's proofs, and the scheduler.</summary>
public sealed class RewardEpochTests : LedgerSiloTest
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private readonly RecordedEpochInputs _inputs = new();
    private readonly string _operator = NewAddress();
    private readonly string _relay = new('a', 64);

    protected override StoreKind Store => StoreKind.Sqlite;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        MoveTo(Ten.AddMinutes(1));
    }

    [Fact]
    public async Task Close_AnOperatorServingTwoHoursFiftyNineMinutes_IsPaidForTwoHours()
    {
        var silo = await StartEpochSiloAsync();
        await StakeAsync(silo, _operator);
        _inputs.Served(_operator, _relay, Ten.AddMinutes(1), Ten.AddMinutes(180));
        MoveTo(Ten.AddHours(4));

        for (var hour = Ten; hour < Ten.AddHours(3); hour = hour.AddHours(1))
        {
            await Epoch(silo, hour).Close();
        }

        Assert.Equal(Ichat(200), (await Account(silo, _operator).GetAccount()).Balance);
        Assert.Empty((await Epoch(silo, Ten).GetBatch())!.Leaves);
        Assert.Equal(Ichat(100), Assert.Single((await Epoch(silo, Ten.AddHours(1)).GetBatch())!.Leaves).Reward);
    }

    [Fact]
    public async Task Close_ACrashInTheMiddleOfTheHour_PaysNothingForIt()
    {
        var silo = await StartEpochSiloAsync();
        await StakeAsync(silo, _operator);
        _inputs.Served(_operator, _relay, Ten.AddHours(-1), Ten.AddMinutes(30));
        _inputs.Served(_operator, _relay, Ten.AddMinutes(31), Ten.AddHours(3));
        MoveTo(Ten.AddHours(2).AddMinutes(5));

        var crashed = await Epoch(silo, Ten).Close();
        var whole = await Epoch(silo, Ten.AddHours(1)).Close();

        Assert.Empty(crashed.Leaves);
        Assert.Null(crashed.Root);
        Assert.Equal(Ichat(100), Assert.Single(whole.Leaves).Reward);
    }

    [Fact]
    public async Task Close_FlappingAndLostCanaries_LowerTheRewardByTheConfiguredRates()
    {
        var silo = await StartEpochSiloAsync();
        var flapper = NewAddress();
        await StakeAsync(silo, _operator);
        await StakeAsync(silo, flapper);
        _inputs.Served(_operator, _relay, Ten, Ten.AddHours(1));
        _inputs.Served(flapper, new string('b', 64), Ten, Ten.AddHours(1));
        _inputs.Quality(_relay, Ten, sent: 60, delivered: 59);
        _inputs.Quality(new string('b', 64), Ten, sent: 60, delivered: 60, cycles: 4);
        MoveTo(Ten.AddHours(1).AddMinutes(3));

        await Epoch(silo, Ten).Close();

        Assert.Equal(Ichat(70), (await Account(silo, _operator).GetAccount()).Balance);
        Assert.Equal(Ichat(75), (await Account(silo, flapper).GetAccount()).Balance);
    }

    [Fact]
    public async Task Close_BeforeTheHourAndItsDelayAreOver_IsRefused()
    {
        var silo = await StartEpochSiloAsync();
        MoveTo(Ten.AddHours(1).AddMinutes(1));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => Epoch(silo, Ten).Close());

        Assert.Contains("closes at", exception.Message);
        Assert.Null(await Epoch(silo, Ten).GetBatch());
    }

    [Fact]
    public async Task Close_AFaultThreeHoursRunning_SlashesOnTheThirdHourOnly()
    {
        var silo = await StartEpochSiloAsync();
        await StakeAsync(silo, _operator);
        _inputs.Served(_operator, _relay, Ten, Ten.AddHours(4));
        for (var hour = 0; hour < 3; hour++)
        {
            _inputs.Quality(_relay, Ten.AddHours(hour), sent: 60, delivered: 60, cycles: 4);
        }

        MoveTo(Ten.AddHours(4).AddMinutes(3));

        var first = await Epoch(silo, Ten).Close();
        var second = await Epoch(silo, Ten.AddHours(1)).Close();
        var third = await Epoch(silo, Ten.AddHours(2)).Close();
        var clean = await Epoch(silo, Ten.AddHours(3)).Close();

        Assert.Equal([UInt128.Zero, UInt128.Zero, Ichat(10_000)], new[] { first, second, third }.Select(batch => Assert.Single(batch.Leaves).Slash));
        Assert.Equal(Ichat(100), Assert.Single(clean.Leaves).Reward);
        Assert.Equal(3, (await Epoch(silo, Ten.AddHours(2)).GetFaultStreaks())[_relay]);
        Assert.Empty(await Epoch(silo, Ten.AddHours(3)).GetFaultStreaks());
        Assert.Equal(Ichat(1_000_000 - 10_000), (await Account(silo, _operator).GetAccount()).Stake);
    }

    [Fact]
    public async Task Close_TwiceAndInterruptedByARestart_PaysEachOperatorOnce()
    {
        var silo = await StartEpochSiloAsync();
        var second = NewAddress();
        await StakeAsync(silo, _operator);
        await StakeAsync(silo, second);
        _inputs.Served(_operator, _relay, Ten, Ten.AddHours(1));
        _inputs.Served(second, new string('b', 64), Ten, Ten.AddHours(1));
        _inputs.Quality(new string('b', 64), Ten, sent: 60, delivered: 20);
        MoveTo(Ten.AddHours(1).AddMinutes(3));

        // The second operator's slash cannot be written: the close stops after fixing the batch and paying some of it.
        Faults.FailWrites(AccountId(second));
        await Assert.ThrowsAnyAsync<Exception>(() => Epoch(silo, Ten).Close());
        Assert.Equal(EpochStatus.Settling, (await Epoch(silo, Ten).GetBatch())!.Status);
        await silo.DisposeAsync();
        Faults.Heal();

        var restarted = await StartEpochSiloAsync();
        var batch = await Epoch(restarted, Ten).Close();
        var again = await Epoch(restarted, Ten).Close();

        Assert.Equal(EpochStatus.Closed, again.Status);
        Assert.Equal(batch, again with { Leaves = batch.Leaves });
        Assert.Equal(1, _inputs.Reads);
        Assert.Equal(Ichat(100), (await Account(restarted, _operator).GetAccount()).Balance);
        var slashed = await Account(restarted, second).GetAccount();
        Assert.Equal(Ichat(1_000_000 - 10_000), slashed.Stake);
        await EventuallyNothingOutgoing(restarted, _operator, second, LedgerAccounts.Treasury);
        Assert.Equal(Ichat(10_000), (await Account(restarted, LedgerAccounts.Treasury).GetAccount()).Balance);
    }

    [Fact]
    public async Task Batch_EveryLeafsProof_VerifiesAgainstTheRootAndNotForAnotherLeaf()
    {
        var silo = await StartEpochSiloAsync();
        var operators = Enumerable.Range(0, 5).Select(_ => NewAddress()).ToArray();
        for (var i = 0; i < operators.Length; i++)
        {
            await StakeAsync(silo, operators[i]);
            _inputs.Served(operators[i], new string((char)('a' + i), 64), Ten, Ten.AddHours(1));
        }

        MoveTo(Ten.AddHours(1).AddMinutes(3));

        var batch = await Epoch(silo, Ten).Close();

        var root = Convert.FromHexString(batch.Root![2..]);
        Assert.Equal(operators.Order(StringComparer.Ordinal), batch.Leaves.Select(leaf => leaf.Operator));
        foreach (var leaf in batch.Leaves)
        {
            var proof = leaf.Proof.Select(hash => Convert.FromHexString(hash[2..])).ToArray();
            Assert.True(EpochBatchTree.Verify(root, new EpochLeaf(leaf.Operator, leaf.Reward, leaf.Slash), proof));
            Assert.False(EpochBatchTree.Verify(root, new EpochLeaf(leaf.Operator, leaf.Reward + UInt128.One, leaf.Slash), proof));
        }
    }

    [Fact]
    public async Task Scheduler_AfterTheHoursEnd_ClosesEachHourInOrderAlsoAcrossARestart()
    {
        var silo = await StartEpochSiloAsync();
        await StakeAsync(silo, _operator);
        _inputs.Served(_operator, _relay, Ten.AddMinutes(1), Ten.AddHours(5));
        await Scheduler(silo).Start();

        Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(5));
        await Eventually(async () => await Scheduler(silo).LastClosed() == EpochKeys.Format(Ten.AddHours(1)), "the scheduler closed 10:00 and 11:00");
        await silo.DisposeAsync();
        var restarted = await StartEpochSiloAsync();
        Clock.Advance(TimeSpan.FromHours(1));
        await Eventually(async () => await Scheduler(restarted).LastClosed() == EpochKeys.Format(Ten.AddHours(2)), "the scheduler closed 12:00 after the restart");

        Assert.Equal(Ichat(200), (await Account(restarted, _operator).GetAccount()).Balance);
    }

    [Fact]
    public async Task Scheduler_WithOneMinuteEpochs_ClosesEveryMinuteAndPaysTheHourlyRewardProRata()
    {
        var silo = await StartEpochSiloAsync(OneMinute);
        await StakeAsync(silo, _operator);
        _inputs.Served(_operator, _relay, Ten.AddSeconds(30), Ten.AddMinutes(4).AddSeconds(30));
        await Scheduler(silo).Start();

        MoveTo(Ten.AddMinutes(6).AddSeconds(10));
        await Eventually(async () => await Scheduler(silo).LastClosed() == "2026-11-21T10:05", "the scheduler closed every minute up to 10:05");

        var perMinute = Ichat(100) / 60;
        Assert.Equal(perMinute * 3, (await Account(silo, _operator).GetAccount()).Balance);
        Assert.Equal(perMinute, Assert.Single((await MinuteEpoch(silo, Ten.AddMinutes(3)).GetBatch())!.Leaves).Reward);
        Assert.Empty((await MinuteEpoch(silo, Ten.AddMinutes(4)).GetBatch())!.Leaves);
        Assert.Null(await silo.Grains.GetGrain<IRewardEpochGrain>("2026-11-21T10:00").GetBatch());
    }

    [Fact]
    public async Task Scheduler_LengthShortenedAfterAnHourClosed_CarriesOnAfterThatHourWithoutPayingItAgain()
    {
        var silo = await StartEpochSiloAsync();
        await StakeAsync(silo, _operator);
        _inputs.Served(_operator, _relay, Ten.AddMinutes(-5), Ten.AddHours(3));
        await Scheduler(silo).Start();
        MoveTo(Ten.AddHours(1).AddMinutes(3));
        await Eventually(async () => await Scheduler(silo).LastClosed() == EpochKeys.Format(Ten), "the scheduler closed 10:00");
        await silo.DisposeAsync();

        var shorter = await StartEpochSiloAsync(OneMinute);
        MoveTo(Ten.AddHours(1).AddMinutes(4).AddSeconds(10));
        await Eventually(async () => await Scheduler(shorter).LastClosed() == "2026-11-21T11:03", "the scheduler closed 11:00 to 11:03");

        Assert.Equal(Ichat(100) + Ichat(100) / 60 * 4, (await Account(shorter, _operator).GetAccount()).Balance);
        Assert.Null(await shorter.Grains.GetGrain<IRewardEpochGrain>("2026-11-21T10:59").GetBatch());
    }

    [Theory]
    [InlineData("2026-11-21T10")]
    [InlineData("2026-11-21T10:07:30")]
    [InlineData("2026-11-21")]
    public async Task Close_AKeyThatIsNotAMinuteEpoch_IsRefusedNamingTheLength(string key)
    {
        var silo = await StartEpochSiloAsync(OneMinute);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => silo.Grains.GetGrain<IRewardEpochGrain>(key).Close());

        Assert.Contains("00:01:00", refused.Message, StringComparison.Ordinal);
        Assert.Contains("2026-11-21T10:01", refused.Message, StringComparison.Ordinal);
    }

    private static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);

    private Task<TestSilo> StartEpochSiloAsync(TimeSpan? length = null) =>
        StartSiloOnStoreAsync(
            builder => builder
                .AddGrains(typeof(GrainsAssembly).Assembly)
                .UseStorage(_ => new FaultyStorageProvider(CurrentStore.CreateProvider(), Faults)),
            services =>
            {
                services.AddSingleton(provider => _inputs.For(() => provider.GetRequiredService<IGrainFactory>()));
                services.AddLedger();
                services.AddEpochs(options =>
                {
                    if (length is { } shorter)
                    {
                        options.Length = shorter;
                        options.CloseDelay = TimeSpan.FromSeconds(5);
                        options.SchedulerPeriod = TimeSpan.FromMinutes(1);
                    }
                });
            });

    private void MoveTo(DateTimeOffset instant) => Clock.Advance(instant - Clock.GetUtcNow());

    private static async Task StakeAsync(TestSilo silo, string account)
    {
        await FundAsync(silo, account, Ichat(1_000_000));
        Assert.Equal(EntryStatus.Applied, (await Account(silo, account).Stake(NewEntryId(), Ichat(1_000_000))).Status);
    }

    private static IRewardEpochGrain Epoch(TestSilo silo, DateTimeOffset hour) => silo.Grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(hour));

    private static IRewardEpochGrain MinuteEpoch(TestSilo silo, DateTimeOffset start) => silo.Grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(start, OneMinute));

    private static IEpochSchedulerGrain Scheduler(TestSilo silo) => silo.Grains.GetGrain<IEpochSchedulerGrain>(EpochKeys.Scheduler);
}
