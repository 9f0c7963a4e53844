using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Ledger;

/// <summary>Settings of the ledger grains (configuration section <c>Ledger</c>).</summary>
public sealed class LedgerOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Ledger";

    /// <summary>Longest <see cref="CreditWait"/> allowed: an operation holds its grain's turn while it waits.</summary>
    public static readonly TimeSpan CreditWaitCeiling = TimeSpan.FromMinutes(1);

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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
