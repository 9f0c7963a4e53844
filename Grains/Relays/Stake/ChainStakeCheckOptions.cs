using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Relays.Stake;

/// <summary>
/// The on-chain relay check (section <c>Chain:StakeCheck</c>, plus the staking contract's address from
/// <c>Chain:Contracts:Staking</c>): relay registration asks RelayStaking instead of the ledger.
/// </summary>
public sealed class ChainStakeCheckOptions
{
    /// <summary>Configuration section of <see cref="CacheFor"/>.</summary>
    public const string SectionName = "Chain:StakeCheck";

    /// <summary>Configuration key of the RelayStaking contract's address.</summary>
    public const string StakingKey = "Chain:Contracts:Staking";

    /// <summary>
    /// How long one operator's on-chain answer is reused. Bounds both the RPC load (one read per operator per period,
    /// however many relays it runs) and how late a stake change on chain is seen.
    /// </summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The RelayStaking contract's address (0x and 40 hex characters).</summary>
    public string? Staking { get; set; }
}

/// <summary>Checks <see cref="ChainStakeCheckOptions"/> at start-up.</summary>
public sealed class ChainStakeCheckOptionsValidator : IValidateOptions<ChainStakeCheckOptions>
{
    private static readonly TimeSpan MaxCache = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ChainStakeCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.CacheFor < TimeSpan.Zero || options.CacheFor > MaxCache)
        {
            failures.Add($"{ChainStakeCheckOptions.SectionName}:CacheFor must be from 00:00:00 to {MaxCache} (got {options.CacheFor}).");
        }

        if (!IsAddress(options.Staking))
        {
            failures.Add($"{ChainStakeCheckOptions.StakingKey} must be the RelayStaking contract's address, 0x and 40 hex characters (got '{options.Staking}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAddress(string? text) =>
        text is { Length: 42 } && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") is false;
}
