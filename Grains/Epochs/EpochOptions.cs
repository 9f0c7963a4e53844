using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Epochs;

/// <summary>When epochs close (configuration section <c>Epochs</c>).</summary>
public sealed class EpochOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Epochs";

    /// <summary>
    /// How long an epoch lasts: one UTC hour, or for demonstrations and tests a shorter divisor of an hour (from 10 s;
    /// 00:01:00 closes an epoch every minute). The network's HourlyReward is paid pro rata (a one-minute epoch pays a
    /// sixtieth of it), and the flapping and repeated-fault rules count per epoch. Keep it fixed for a cluster's life:
    /// after a change the scheduler carries on after the last epoch it closed, but on chain an epoch is numbered by its
    /// start, so a short epoch starting on the hour of an hour-long one already anchored is refused as a conflict.
    /// </summary>
    public TimeSpan Length { get; set; } = EpochKeys.Hour;

    /// <summary>
    /// Where closed epochs are paid: <see cref="EpochSettlement.Ledger"/> books each reward and slash in the cluster's
    /// ledger (the embedded default); <see cref="EpochSettlement.Chain"/> books nothing there, because the anchoring
    /// worker puts the batch on chain, operators claim their rewards there and RelayStaking takes the slashes. Anchoring
    /// sets Chain itself (<c>AddAnchoring</c>); it is not read from configuration.
    /// </summary>
    public EpochSettlement Settlement { get; internal set; } = EpochSettlement.Ledger;

    /// <summary>How long after its end an epoch waits before closing, so canaries sent in its last moments are counted.</summary>
    public TimeSpan CloseDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the scheduler looks for hours to close (also its retry period after a failed close).</summary>
    public TimeSpan SchedulerPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Where slashed stake goes: an account (the treasury by default), or empty to burn it.</summary>
    public string SlashBeneficiary { get; set; } = Ledger.LedgerAccounts.Treasury;

    /// <summary>How many epochs one scheduler tick closes at most (a cluster that was down catches up over several ticks).</summary>
    public int MaxHoursPerTick { get; set; } = 24;
}

internal sealed class EpochOptionsValidator : IValidateOptions<EpochOptions>
{
    public ValidateOptionsResult Validate(string? name, EpochOptions options)
    {
        var failures = new List<string>();
        if (EpochKeys.LengthProblem(options.Length) is { } lengthProblem)
        {
            failures.Add($"Epochs:Length: {lengthProblem}");
        }

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

/// <summary>Where closed epochs are paid (<see cref="EpochOptions.Settlement"/>).</summary>
public enum EpochSettlement
{
    /// <summary>Rewards minted and slashes taken in the cluster's ledger.</summary>
    Ledger,

    /// <summary>On chain only: claimed from RewardDistributor, slashed by RelayStaking; the ledger is not touched.</summary>
    Chain,
}
