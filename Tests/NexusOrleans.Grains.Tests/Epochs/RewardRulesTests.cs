using FsCheck;
using FsCheck.Fluent;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;

namespace NexusOrleans.Grains.Tests.Epochs;

public sealed class RewardRulesTests
{
    private const string Operator = "0x9858effd232b4033e47d90003d41ec34ecaeda94";
    private const string Relay = "1111111111111111111111111111111111111111111111111111111111111111";

    /// <summary>The policy these tests and the epoch tests judge by.</summary>
    internal static readonly RewardPolicy Policy = new(
        EpochReward: Tokens.Whole(100),
        FlappingLimit: 3,
        FlappingPenaltyBps: 2_500,
        LatencyThreshold: TimeSpan.FromMilliseconds(500),
        LatencyPenaltyBps: 1_000,
        LossThresholdBps: 100,
        LossPenaltyBps: 3_000,
        SevereLossBps: 5_000,
        RepeatedFaultHours: 3,
        SlashBps: 100);

    private static RelayHour GoodHour(bool wholeHour = true) =>
        new(Operator, Relay, wholeHour, RegistrationCycles: 0, CanariesSent: 60, CanariesDelivered: 60, MedianCanaryLatency: TimeSpan.FromMilliseconds(40));

    [Fact]
    public void Evaluate_AGoodFullHour_EarnsTheWholeHourlyReward()
    {
        var outcome = RewardRules.Evaluate(GoodHour(), Policy, Tokens.Whole(1_000_000));

        Assert.Equal(Tokens.Whole(100), outcome.Reward);
        Assert.Equal(UInt128.Zero, outcome.Slash);
        Assert.Equal(RelayFaults.None, outcome.Faults);
    }

    [Fact]
    public void Evaluate_APartialHour_EarnsNothing()
    {
        Assert.Equal(UInt128.Zero, RewardRules.Evaluate(GoodHour(wholeHour: false), Policy, Tokens.Whole(1_000_000)).Reward);
    }

    [Fact]
    public void Evaluate_FlappingAboveTheLimit_CutsTheMultiplierByItsRate()
    {
        var outcome = RewardRules.Evaluate(GoodHour() with { RegistrationCycles = 4 }, Policy, Tokens.Whole(1_000_000));

        Assert.Equal(RelayFaults.Flapping, outcome.Faults);
        Assert.Equal(7_500, outcome.MultiplierBps);
        Assert.Equal(Tokens.Whole(75), outcome.Reward);
    }

    [Fact]
    public void Evaluate_FlappingAtTheLimit_IsNotAFault()
    {
        Assert.Equal(RelayFaults.None, RewardRules.Evaluate(GoodHour() with { RegistrationCycles = 3 }, Policy, UInt128.Zero).Faults);
    }

    [Fact]
    public void Evaluate_LostCanaries_CutTheMultiplierByTheLossRate()
    {
        var outcome = RewardRules.Evaluate(GoodHour() with { CanariesDelivered = 59 }, Policy, Tokens.Whole(1_000_000));

        Assert.Equal(RelayFaults.LostCanaries, outcome.Faults);
        Assert.Equal(Tokens.Whole(70), outcome.Reward);
        Assert.Equal(UInt128.Zero, outcome.Slash);
    }

    [Fact]
    public void Evaluate_SlowCanaries_CutTheMultiplierByTheLatencyRate()
    {
        var outcome = RewardRules.Evaluate(GoodHour() with { MedianCanaryLatency = TimeSpan.FromMilliseconds(501) }, Policy, UInt128.Zero);

        Assert.Equal(Tokens.Whole(90), outcome.Reward);
    }

    [Fact]
    public void Evaluate_SevereLoss_AlsoSlashesTheStakeByItsRate()
    {
        var outcome = RewardRules.Evaluate(GoodHour() with { CanariesDelivered = 30 }, Policy, Tokens.Whole(1_000_000));

        Assert.True(outcome.Faults.HasFlag(RelayFaults.SevereLoss));
        Assert.Equal(Tokens.Whole(10_000), outcome.Slash);
    }

    [Fact]
    public void Evaluate_AFaultForTheThirdHourRunning_Slashes()
    {
        var outcome = RewardRules.Evaluate(GoodHour() with { RegistrationCycles = 9, FaultyHoursBefore = 2 }, Policy, Tokens.Whole(1_000_000));

        Assert.True(outcome.Faults.HasFlag(RelayFaults.Repeated));
        Assert.Equal(Tokens.Whole(10_000), outcome.Slash);
    }

    [Fact]
    public void Evaluate_EveryFaultAtOnce_NeverGoesBelowZero()
    {
        var harsh = Policy with { FlappingPenaltyBps = 6_000, LossPenaltyBps = 6_000 };

        var outcome = RewardRules.Evaluate(GoodHour() with { RegistrationCycles = 9, CanariesDelivered = 0, MedianCanaryLatency = null }, harsh, UInt128.Zero);

        Assert.Equal(0, outcome.MultiplierBps);
        Assert.Equal(UInt128.Zero, outcome.Reward);
    }

    [Fact]
    public void Evaluate_MoreDeliveredThanSent_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RewardRules.Evaluate(GoodHour() with { CanariesDelivered = 61 }, Policy, UInt128.Zero));
    }

    [Fact]
    public void ByOperator_SumsNodesPerOperatorSortedAndCapsTheSlashAtTheStake()
    {
        const string other = "0x0000000000000000000000000000000000000001";
        var hours = new[]
        {
            GoodHour(),
            GoodHour() with { RelayKey = new string('2', 64) },
            GoodHour() with { Operator = other, CanariesDelivered = 0, FaultyHoursBefore = 5 },
            GoodHour() with { Operator = other, RelayKey = new string('3', 64), CanariesDelivered = 0 },
        };

        var batch = RewardRules.ByOperator(hours, Policy with { SlashBps = 8_000 }, account => account == other ? Tokens.Whole(10) : Tokens.Whole(1_000_000));

        Assert.Equal([other, Operator], batch.Select(leaf => leaf.Operator));
        Assert.Equal((Tokens.Whole(200), UInt128.Zero), (batch[1].Reward, batch[1].Slash));
        Assert.Equal(Tokens.Whole(10), batch[0].Slash);
    }

    [Fact]
    public void Policy_ARateAboveTenThousandBasisPoints_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (Policy with { SlashBps = 10_001 }).Validate());
    }

    [Fact]
    public void Evaluate_AnyHour_NeverPaysMoreThanTheHourlyRewardNorSlashesMoreThanTheStake()
    {
        var hours =
            from cycles in Gen.Choose(0, 20)
            from delivered in Gen.Choose(0, 100)
            from latencyMs in Gen.Choose(0, 2_000)
            from faultyBefore in Gen.Choose(0, 10)
            select GoodHour() with
            {
                RegistrationCycles = cycles,
                CanariesSent = 100,
                CanariesDelivered = delivered,
                MedianCanaryLatency = TimeSpan.FromMilliseconds(latencyMs),
                FaultyHoursBefore = faultyBefore,
            };
        Prop.ForAll(
                hours.ToArbitrary(),
                hour =>
                {
                    var stake = Tokens.Whole(1_000_000);
                    var outcome = RewardRules.Evaluate(hour, Policy, stake);
                    var clean = outcome.Faults == RelayFaults.None;
                    return outcome.Reward <= Policy.EpochReward
                        && outcome.Slash <= stake
                        && (clean ? outcome.Reward == Policy.EpochReward && outcome.Slash == UInt128.Zero : outcome.Reward < Policy.EpochReward);
                })
            .QuickCheckThrowOnFailure();
    }
}
