// How one relay node's hour turns into a reward and, for severe faults, a slash of its operator's stake. "Hour" is the
// epoch: one UTC hour unless Epochs:Length is shorter, in which case the epoch reward is the hourly reward pro rata and
// the flapping and repeated-fault rules count per epoch.
//
// Only what the cluster measured counts (DESIGN.md: never self-reported): whether one unbroken service interval covered
// the whole hour (ServiceHours: heartbeats, with a gap above the outage gap breaking it), how many register/unregister
// cycles the node went through in the hour (flapping), and the canary envelopes the cluster sent through it (loss and
// latency). A partial hour earns nothing and is not otherwise penalised: the missing reward is the penalty for a crash.
//
// The reward is the epoch reward times a quality multiplier in basis points (10,000 = full). Each fault present in the
// hour subtracts its configured rate once; the multiplier never goes below zero. A severe fault (canary loss at or
// above the severe threshold) also slashes the stake by its rate, and so does being faulty several hours running
// (the caller says how many consecutive faulty hours preceded this one). Everything is integer arithmetic on base
// units, rounding down, so the batch is the same on every silo and no hour can pay more than the hourly reward.
namespace NexusOrleans.Grains.Epochs;

/// <summary>What the cluster measured of one relay node in one UTC hour.</summary>
/// <param name="Operator">The operator's account (EVM address, lowercase).</param>
/// <param name="RelayKey">The relay node's key (64 hex).</param>
/// <param name="ServedWholeHour">One service interval covered the hour from start to end.</param>
/// <param name="RegistrationCycles">Register/unregister cycles of the node within the hour.</param>
/// <param name="CanariesSent">Canary envelopes the cluster sent through the node in the hour.</param>
/// <param name="CanariesDelivered">Of those, the ones that reached the probe inbox.</param>
/// <param name="MedianCanaryLatency">Median send-to-delivery time of the delivered canaries; null when none arrived.</param>
/// <param name="FaultyHoursBefore">How many hours immediately before this one the node was faulty (any penalty applied).</param>
public sealed record RelayHour(
    string Operator,
    string RelayKey,
    bool ServedWholeHour,
    int RegistrationCycles,
    int CanariesSent,
    int CanariesDelivered,
    TimeSpan? MedianCanaryLatency,
    int FaultyHoursBefore = 0);

/// <summary>
/// The parameters the rules read (the network parameters grain holds them; rates in basis points).
/// <paramref name="EpochReward"/> is what one full epoch pays: the network's hourly reward, pro rata when epochs are shorter.
/// </summary>
public sealed record RewardPolicy(
    UInt128 EpochReward,
    int FlappingLimit,
    int FlappingPenaltyBps,
    TimeSpan LatencyThreshold,
    int LatencyPenaltyBps,
    int LossThresholdBps,
    int LossPenaltyBps,
    int SevereLossBps,
    int RepeatedFaultHours,
    int SlashBps)
{
    /// <summary>Basis points in one whole.</summary>
    public const int FullBps = 10_000;

    /// <summary>Throws when a rate is outside 0..10,000 or a count is negative.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(FlappingPenaltyBps), FlappingPenaltyBps), (nameof(LatencyPenaltyBps), LatencyPenaltyBps),
                     (nameof(LossThresholdBps), LossThresholdBps), (nameof(LossPenaltyBps), LossPenaltyBps),
                     (nameof(SevereLossBps), SevereLossBps), (nameof(SlashBps), SlashBps),
                 })
        {
            if (value is < 0 or > FullBps)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} is in basis points: 0 to {FullBps}.");
            }
        }

        if (FlappingLimit < 0 || RepeatedFaultHours < 1 || LatencyThreshold <= TimeSpan.Zero)
        {
            throw new ArgumentException("FlappingLimit must be 0 or more, RepeatedFaultHours at least 1, and LatencyThreshold positive.");
        }
    }
}

/// <summary>Faults found in one relay hour.</summary>
[Flags]
public enum RelayFaults
{
    None = 0,
    Flapping = 1,
    SlowCanaries = 2,
    LostCanaries = 4,
    SevereLoss = 8,
    Repeated = 16,
}

/// <summary>What one node's hour earns and costs.</summary>
public sealed record RelayHourOutcome(string Operator, string RelayKey, UInt128 Reward, UInt128 Slash, int MultiplierBps, RelayFaults Faults);

/// <summary>The rules that turn measured relay hours into rewards and slashes. See the comment at the top of this file.</summary>
public static class RewardRules
{
    /// <summary>The faults <paramref name="hour"/> shows under <paramref name="policy"/>.</summary>
    public static RelayFaults FaultsOf(RelayHour hour, RewardPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(hour);
        ArgumentNullException.ThrowIfNull(policy);
        if (hour.CanariesDelivered < 0 || hour.CanariesSent < 0 || hour.CanariesDelivered > hour.CanariesSent || hour.RegistrationCycles < 0)
        {
            throw new ArgumentException($"Relay {hour.RelayKey}: canary counts must satisfy 0 ≤ delivered ≤ sent, and cycles be 0 or more.", nameof(hour));
        }

        var faults = RelayFaults.None;
        if (hour.RegistrationCycles > policy.FlappingLimit)
        {
            faults |= RelayFaults.Flapping;
        }

        if (hour.MedianCanaryLatency is { } latency && latency > policy.LatencyThreshold)
        {
            faults |= RelayFaults.SlowCanaries;
        }

        if (hour.CanariesSent > 0)
        {
            // Loss in basis points, rounded up so that any loss at all is at least 1 bp.
            var lost = hour.CanariesSent - hour.CanariesDelivered;
            var lossBps = (int)(((long)lost * RewardPolicy.FullBps + hour.CanariesSent - 1) / hour.CanariesSent);
            if (lost > 0 && lossBps >= policy.LossThresholdBps)
            {
                faults |= RelayFaults.LostCanaries;
            }

            if (lost > 0 && lossBps >= policy.SevereLossBps)
            {
                faults |= RelayFaults.SevereLoss;
            }
        }

        if (faults != RelayFaults.None && hour.FaultyHoursBefore + 1 >= policy.RepeatedFaultHours)
        {
            faults |= RelayFaults.Repeated;
        }

        return faults;
    }

    /// <summary>The reward and slash of one node's hour; <paramref name="stake"/> is its operator's stake at the hour's close.</summary>
    public static RelayHourOutcome Evaluate(RelayHour hour, RewardPolicy policy, UInt128 stake)
    {
        var faults = FaultsOf(hour, policy);
        var penaltyBps = 0;
        if (faults.HasFlag(RelayFaults.Flapping))
        {
            penaltyBps += policy.FlappingPenaltyBps;
        }

        if (faults.HasFlag(RelayFaults.SlowCanaries))
        {
            penaltyBps += policy.LatencyPenaltyBps;
        }

        if (faults.HasFlag(RelayFaults.LostCanaries))
        {
            penaltyBps += policy.LossPenaltyBps;
        }

        var multiplierBps = Math.Max(0, RewardPolicy.FullBps - penaltyBps);
        var reward = hour.ServedWholeHour ? policy.EpochReward * (uint)multiplierBps / RewardPolicy.FullBps : UInt128.Zero;
        var slash = faults.HasFlag(RelayFaults.SevereLoss) || faults.HasFlag(RelayFaults.Repeated)
            ? stake / RewardPolicy.FullBps * (uint)policy.SlashBps + (stake % RewardPolicy.FullBps * (uint)policy.SlashBps / RewardPolicy.FullBps)
            : UInt128.Zero;
        return new RelayHourOutcome(hour.Operator, hour.RelayKey, reward, slash, multiplierBps, faults);
    }

    /// <summary>
    /// The per-operator totals of an epoch: every node's outcome summed by operator, sorted by operator address, operators
    /// with neither reward nor slash left out. A slash never exceeds the operator's stake.
    /// </summary>
    public static IReadOnlyList<(string Operator, UInt128 Reward, UInt128 Slash)> ByOperator(
        IEnumerable<RelayHour> hours, RewardPolicy policy, Func<string, UInt128> stakeOf)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(stakeOf);
        policy.Validate();
        var totals = new SortedDictionary<string, (UInt128 Reward, UInt128 Slash, UInt128 Stake)>(StringComparer.Ordinal);
        foreach (var hour in hours)
        {
            if (!totals.TryGetValue(hour.Operator, out var total))
            {
                total = (UInt128.Zero, UInt128.Zero, stakeOf(hour.Operator));
            }

            var outcome = Evaluate(hour, policy, total.Stake);
            var slash = total.Slash + outcome.Slash;
            totals[hour.Operator] = (total.Reward + outcome.Reward, slash > total.Stake ? total.Stake : slash, total.Stake);
        }

        return totals
            .Where(pair => pair.Value.Reward != UInt128.Zero || pair.Value.Slash != UInt128.Zero)
            .Select(pair => (pair.Key, pair.Value.Reward, pair.Value.Slash))
            .ToArray();
    }
}
