using System.Globalization;
using NexusOrleans.Grains.Ledger;

namespace NexusOrleans.Grains.Network;

/// <summary>
/// The network's parameters, one set for the whole cluster, held by <see cref="INetworkParametersGrain"/> and changed
/// only by governance decisions. Token amounts are base units (<see cref="Tokens"/>); rates are basis points (1/100 of a
/// percent: 10,000 bps = 100 %). Immutable: make a proposal with <c>current with { HourlyReward = … }</c>.
/// </summary>
public sealed record NetworkParameters
{
    /// <summary>The product's promise: no relay keeps an unread message longer than this. <see cref="MaxUnreadAge"/> may only go lower.</summary>
    public static readonly TimeSpan UnreadAgeCeiling = TimeSpan.FromHours(6);

    /// <summary>
    /// Most free messages per identity per day a network may grant: each counted message id is kept in one stored row
    /// that is rewritten per free message, so the limit also bounds that row (about 70 KB at this value).
    /// </summary>
    public const int MaxDailyFreeMessages = 1_000;

    /// <summary>100 % in basis points.</summary>
    public const int FullRateBps = 10_000;

    /// <summary>Least stake, in base units, an operator must hold for a relay to register and stay listed.</summary>
    public required UInt128 MinimumStake { get; init; }

    /// <summary>What one relay node earns its operator for each full hour of good service, in base units.</summary>
    public required UInt128 HourlyReward { get; init; }

    /// <summary>What a sender pays per message for each relay it goes through, in base units; to those relays' operators.</summary>
    public required UInt128 FeePerMessagePerRelay { get; init; }

    /// <summary>Messages per identity per UTC day that pay no fee (at most <see cref="MaxDailyFreeMessages"/>).</summary>
    public required int DailyFreeMessages { get; init; }

    /// <summary>Longest an unread message is kept; at most <see cref="UnreadAgeCeiling"/>, and a change may only lower it.</summary>
    public required TimeSpan MaxUnreadAge { get; init; }

    /// <summary>How often a relay node reports that it is alive.</summary>
    public required TimeSpan HeartbeatInterval { get; init; }

    /// <summary>
    /// A gap between two heartbeats longer than this is an outage of that node in the hours it spans. At least twice
    /// <see cref="HeartbeatInterval"/>, so that one late beat is never an outage and every outage is among the recorded gaps.
    /// </summary>
    public required TimeSpan OutageGap { get; init; }

    /// <summary>Register/unregister cycles of one node within an hour above which that hour counts as flapping.</summary>
    public required int FlappingLimit { get; init; }

    /// <summary>A canary message slower than this, relay to relay, counts as late.</summary>
    public required TimeSpan CanaryLatencyThreshold { get; init; }

    /// <summary>Share of canary messages, in basis points, a relay may lose within an hour before it counts as lossy.</summary>
    public required int CanaryLossThresholdBps { get; init; }

    /// <summary>Cut of the hour's reward, in basis points, for an hour whose canaries were late.</summary>
    public required int LatencyPenaltyBps { get; init; }

    /// <summary>Cut of the hour's reward, in basis points, for an hour whose canaries were lost above the threshold.</summary>
    public required int LossPenaltyBps { get; init; }

    /// <summary>Cut of the hour's reward, in basis points, for an hour with more register/unregister cycles than <see cref="FlappingLimit"/>.</summary>
    public required int FlappingPenaltyBps { get; init; }

    /// <summary>Share of the operator's stake, in basis points, taken for a severe or repeated fault.</summary>
    public required int SlashBps { get; init; }

    /// <summary>Canary loss in an hour, in basis points, at or above which the fault is severe and the stake is slashed at once.</summary>
    public int SevereLossBps { get; init; } = 5_000;

    /// <summary>Consecutive faulty hours (any penalty) after which the stake is slashed even for a mild fault.</summary>
    public int RepeatedFaultHours { get; init; } = 3;

    /// <summary>
    /// Every rule this set breaks, each a sentence naming the parameter, its value and what is allowed; empty when valid.
    /// <paramref name="prefix"/> goes before each parameter name (for example <c>"Network:"</c> when checking settings).
    /// </summary>
    public IReadOnlyList<string> Validate(string prefix = "")
    {
        var failures = new List<string>();
        if (MinimumStake == UInt128.Zero)
        {
            failures.Add($"{prefix}MinimumStake must be more than 0 iChat (got 0).");
        }

        if (DailyFreeMessages is < 0 or > MaxDailyFreeMessages)
        {
            failures.Add(Invariant($"{prefix}DailyFreeMessages must be from 0 to {MaxDailyFreeMessages} (got {DailyFreeMessages})."));
        }

        if (MaxUnreadAge <= TimeSpan.Zero || MaxUnreadAge > UnreadAgeCeiling)
        {
            failures.Add(Invariant($"{prefix}MaxUnreadAge must be positive and at most {UnreadAgeCeiling} (got {MaxUnreadAge})."));
        }

        if (HeartbeatInterval < TimeSpan.FromSeconds(1) || HeartbeatInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add(Invariant($"{prefix}HeartbeatInterval must be from 00:00:01 to 00:10:00 (got {HeartbeatInterval})."));
        }

        if (OutageGap < HeartbeatInterval * 2 || OutageGap >= TimeSpan.FromHours(1))
        {
            failures.Add(Invariant(
                $"{prefix}OutageGap must be at least twice HeartbeatInterval ({HeartbeatInterval * 2}) and under one hour (got {OutageGap})."));
        }

        if (FlappingLimit < 1)
        {
            failures.Add(Invariant($"{prefix}FlappingLimit must be at least 1 (got {FlappingLimit})."));
        }

        if (CanaryLatencyThreshold <= TimeSpan.Zero)
        {
            failures.Add(Invariant($"{prefix}CanaryLatencyThreshold must be positive (got {CanaryLatencyThreshold})."));
        }

        RequireRate(CanaryLossThresholdBps, nameof(CanaryLossThresholdBps));
        RequireRate(LatencyPenaltyBps, nameof(LatencyPenaltyBps));
        RequireRate(LossPenaltyBps, nameof(LossPenaltyBps));
        RequireRate(FlappingPenaltyBps, nameof(FlappingPenaltyBps));
        RequireRate(SlashBps, nameof(SlashBps));
        RequireRate(SevereLossBps, nameof(SevereLossBps));
        if (RepeatedFaultHours < 1)
        {
            failures.Add(Invariant($"{prefix}RepeatedFaultHours must be at least 1 (got {RepeatedFaultHours})."));
        }

        return failures;

        void RequireRate(int value, string name)
        {
            if (value is < 0 or > FullRateBps)
            {
                failures.Add(Invariant($"{prefix}{name} is in basis points: 0 to {FullRateBps} (got {value})."));
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
