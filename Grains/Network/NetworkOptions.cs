using System.Globalization;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Ledger;

namespace NexusOrleans.Grains.Network;

/// <summary>
/// The network parameters a new network starts with (configuration section <c>Network</c>). They are read once, when
/// the network parameters grain first activates and finds nothing stored; after that governance owns the parameters and
/// editing this section changes nothing. Token amounts are decimal iChat ("1000000", "0.5"); rates are basis points.
/// </summary>
public sealed class NetworkOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Network";

    /// <summary>The stake an operator must hold for a relay to be listed: the design's 1,000,000 iChat.</summary>
    public string MinimumStake { get; set; } = "1000000";

    /// <summary>
    /// Reward per relay node per full hour. 100 iChat an hour is 876,000 a year, a return of the same order as the
    /// minimum stake, enough to pay for a small server and the stake's lock-up without making stake the only thing that pays.
    /// </summary>
    public string HourlyReward { get; set; } = "100";

    /// <summary>
    /// Fee per message per relay. Zero on a new network, so that fresh identities with no tokens can chat (the README's
    /// two-terminal chat); governance raises it once wallets are funded.
    /// </summary>
    public string FeePerMessagePerRelay { get; set; } = "0";

    /// <summary>Messages per identity per day that pay no fee; 0 until governance chooses a free tier.</summary>
    public int DailyFreeMessages { get; set; }

    /// <summary>Longest an unread message is kept: the product's six hours.</summary>
    public TimeSpan MaxUnreadAge { get; set; } = NetworkParameters.UnreadAgeCeiling;

    /// <summary>Ten seconds: a dead relay drops out of phones' lists within a minute at a cost of one small call per node every 10 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// One minute (six missed beats): a relay's restart, from stop to registered again, fits inside it; a crash that takes
    /// longer to come back is an outage, and that hour earns nothing.
    /// </summary>
    public TimeSpan OutageGap { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Three register/unregister cycles in an hour: an operator may move a node twice, not switch it on and off for rewards.</summary>
    public int FlappingLimit { get; set; } = 3;

    /// <summary>Half a second relay to relay: far above a healthy path (a few ms in a region, ~150 ms around the world).</summary>
    public TimeSpan CanaryLatencyThreshold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>1 % of canaries lost: a healthy relay loses none.</summary>
    public int CanaryLossThresholdBps { get; set; } = 100;

    /// <summary>A quarter of the hour's reward for a slow hour.</summary>
    public int LatencyPenaltyBps { get; set; } = 2_500;

    /// <summary>Half of the hour's reward for losing messages, which is worse than delaying them.</summary>
    public int LossPenaltyBps { get; set; } = 5_000;

    /// <summary>All of the hour's reward for a flapping hour.</summary>
    public int FlappingPenaltyBps { get; set; } = 10_000;

    /// <summary>1 % of the stake (10,000 iChat at the minimum) for a severe or repeated fault: felt, not ruinous.</summary>
    public int SlashBps { get; set; } = 100;

    /// <summary>Losing half of the hour's canaries is a relay that is not really relaying: slash at once.</summary>
    public int SevereLossBps { get; set; } = 5_000;

    /// <summary>Three faulty hours in a row is a pattern, not bad luck: slash.</summary>
    public int RepeatedFaultHours { get; set; } = 3;

    /// <summary>
    /// These settings as parameters; throws <see cref="OptionsValidationException"/> naming each bad setting (the
    /// validator runs the same checks at start-up, so a started host never throws here).
    /// </summary>
    public NetworkParameters ToParameters()
    {
        var (parameters, failures) = TryToParameters();
        return parameters is not null && failures.Count == 0
            ? parameters
            : throw new OptionsValidationException(SectionName, typeof(NetworkOptions), failures);
    }

    internal (NetworkParameters? Parameters, IReadOnlyList<string> Failures) TryToParameters()
    {
        var failures = new List<string>();
        var minimumStake = ParseTokens(MinimumStake, nameof(MinimumStake), failures);
        var hourlyReward = ParseTokens(HourlyReward, nameof(HourlyReward), failures);
        var fee = ParseTokens(FeePerMessagePerRelay, nameof(FeePerMessagePerRelay), failures);
        if (failures.Count > 0)
        {
            return (null, failures);
        }

        var parameters = new NetworkParameters
        {
            MinimumStake = minimumStake,
            HourlyReward = hourlyReward,
            FeePerMessagePerRelay = fee,
            DailyFreeMessages = DailyFreeMessages,
            MaxUnreadAge = MaxUnreadAge,
            HeartbeatInterval = HeartbeatInterval,
            OutageGap = OutageGap,
            FlappingLimit = FlappingLimit,
            CanaryLatencyThreshold = CanaryLatencyThreshold,
            CanaryLossThresholdBps = CanaryLossThresholdBps,
            LatencyPenaltyBps = LatencyPenaltyBps,
            LossPenaltyBps = LossPenaltyBps,
            FlappingPenaltyBps = FlappingPenaltyBps,
            SlashBps = SlashBps,
            SevereLossBps = SevereLossBps,
            RepeatedFaultHours = RepeatedFaultHours,
        };
        return (parameters, parameters.Validate($"{SectionName}:"));
    }

    private static UInt128 ParseTokens(string? text, string setting, List<string> failures)
    {
        if (Tokens.TryParse(text?.Trim(), out var baseUnits))
        {
            return baseUnits;
        }

        failures.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"{SectionName}:{setting} is '{text}'; write an amount of iChat such as 1000000 or 0.5 (at most {Tokens.Decimals} decimals)."));
        return UInt128.Zero;
    }
}

/// <summary>Checks <see cref="NetworkOptions"/> at start-up.</summary>
public sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (_, failures) = options.TryToParameters();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
