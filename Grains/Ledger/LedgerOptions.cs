using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Ledger;

/// <summary>Settings of the ledger grains (configuration section <c>Ledger</c>).</summary>
public sealed class LedgerOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Ledger";

    /// <summary>Longest <see cref="CreditWait"/> allowed: an operation holds its grain's turn while it waits.</summary>
    public static readonly TimeSpan CreditWaitCeiling = TimeSpan.FromMinutes(1);

    /// <summary>Longest <see cref="StakeRequestSkew"/> allowed: beyond it a captured request stays usable for too long.</summary>
    public static readonly TimeSpan StakeRequestSkewCeiling = TimeSpan.FromHours(1);

    /// <summary>
    /// Period of the outbox reminder: a credit whose delivery failed is tried again this much later, and then every
    /// period until it lands. Must be at least the runtime's <c>Reminders:MinimumPeriod</c> (one minute by default),
    /// which refuses shorter periods.
    /// </summary>
    public TimeSpan OutboxRetryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a transfer, burn, slash or mint waits for its credit to land before it returns with the credit still
    /// outgoing (it lands later all the same). Grain calls have no timeout, so two accounts paying each other at the same
    /// moment would otherwise wait for each other forever; this bounds that stall. At most <see cref="CreditWaitCeiling"/>.
    /// </summary>
    public TimeSpan CreditWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Tokens minted when the silo starts, once per address ever (entry id <c>genesis:{address}</c>, see
    /// <see cref="LedgerGenesis"/>): how a new network gets its first tokens until deposits from the chain replace it.
    /// Changing an amount later mints nothing more. Empty by default.
    /// </summary>
    public List<GenesisAllocation> Genesis { get; set; } = [];

    /// <summary>
    /// How far the issued-at time of a signed stake or unstake request may be from the silo's clock, either way (the
    /// silo's HTTP endpoints check it). A captured request can be replayed for this long, answered "already applied".
    /// At most <see cref="StakeRequestSkewCeiling"/>.
    /// </summary>
    public TimeSpan StakeRequestSkew { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>One line of <see cref="LedgerOptions.Genesis"/>: an address and an amount of whole or fractional iChat.</summary>
public sealed class GenesisAllocation
{
    /// <summary>The receiving EVM address, "0x" and 40 hex characters in any case.</summary>
    public string? Address { get; set; }

    /// <summary>iChat as a decimal ("1000000", "0.5"), more than zero, at most 18 decimals.</summary>
    public string? Amount { get; set; }
}

/// <summary>Checks <see cref="LedgerOptions"/> at start-up.</summary>
public sealed class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.OutboxRetryPeriod <= TimeSpan.Zero)
        {
            failures.Add($"Ledger:OutboxRetryPeriod must be positive (got {options.OutboxRetryPeriod}).");
        }

        if (options.CreditWait <= TimeSpan.Zero || options.CreditWait > LedgerOptions.CreditWaitCeiling)
        {
            failures.Add($"Ledger:CreditWait must be positive and at most {LedgerOptions.CreditWaitCeiling} (got {options.CreditWait}).");
        }

        if (options.StakeRequestSkew <= TimeSpan.Zero || options.StakeRequestSkew > LedgerOptions.StakeRequestSkewCeiling)
        {
            failures.Add($"Ledger:StakeRequestSkew must be positive and at most {LedgerOptions.StakeRequestSkewCeiling} (got {options.StakeRequestSkew}).");
        }

        failures.AddRange(LedgerGenesis.Validate(options.Genesis));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
