using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Epochs;

/// <summary>When epochs close (configuration section <c>Epochs</c>).</summary>
public sealed class EpochOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Epochs";

    /// <summary>How long after its hour an epoch waits before closing, so canaries sent in the hour's last moments are counted.</summary>
    public TimeSpan CloseDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the scheduler looks for hours to close (also its retry period after a failed close).</summary>
    public TimeSpan SchedulerPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Where slashed stake goes: an account (the treasury by default), or empty to burn it.</summary>
    public string SlashBeneficiary { get; set; } = Ledger.LedgerAccounts.Treasury;

    /// <summary>How many hours one scheduler tick closes at most (a cluster that was down catches up over several ticks).</summary>
    public int MaxHoursPerTick { get; set; } = 24;
}

internal sealed class EpochOptionsValidator : IValidateOptions<EpochOptions>
{
    public ValidateOptionsResult Validate(string? name, EpochOptions options)
    {
        var failures = new List<string>();
        if (options.CloseDelay < TimeSpan.Zero || options.CloseDelay > TimeSpan.FromMinutes(30))
        {
            failures.Add($"Epochs:CloseDelay must be between 0 and 30 minutes (got {options.CloseDelay}).");
        }

        if (options.SchedulerPeriod < TimeSpan.FromSeconds(1) || options.SchedulerPeriod > TimeSpan.FromMinutes(30))
        {
            failures.Add($"Epochs:SchedulerPeriod must be between 1 second and 30 minutes (got {options.SchedulerPeriod}).");
        }

        if (!string.IsNullOrEmpty(options.SlashBeneficiary) && !Ledger.LedgerAccounts.IsValid(options.SlashBeneficiary))
        {
            failures.Add($"Epochs:SlashBeneficiary must be \"treasury\", an EVM address in lowercase, or empty to burn (got \"{options.SlashBeneficiary}\").");
        }

        if (options.MaxHoursPerTick < 1)
        {
            failures.Add($"Epochs:MaxHoursPerTick must be at least 1 (got {options.MaxHoursPerTick}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
