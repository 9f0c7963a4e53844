using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>How closed epochs are anchored to the chain (configuration section <c>Chain:Anchoring</c>).</summary>
public sealed class AnchoringOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Chain:Anchoring";

    /// <summary>The first wait after a failed attempt (chain unreachable, a send refused); doubled after each further failure.</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts, however many failed.</summary>
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long one turn of an anchor grain may wait for confirmations before it lets queued calls (status reads) in and
    /// goes on waiting from its persisted record.
    /// </summary>
    public TimeSpan WaitSlice { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The period of the durable reminder that brings an unfinished anchoring back after a restart.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The readiness check reports Degraded while an epoch has waited longer than this to be confirmed.</summary>
    public TimeSpan DegradedAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long after every transaction of an epoch is confirmed its grain keeps reading the chain, once per
    /// <see cref="ReminderPeriod"/>, for a reorg deeper than the confirmations that took the anchor away; zero turns
    /// the watch off (the reminder is removed at confirmation).
    /// </summary>
    public TimeSpan WatchFor { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class AnchoringOptionsValidator : IValidateOptions<AnchoringOptions>
{
    public ValidateOptionsResult Validate(string? name, AnchoringOptions options)
    {
        const string section = AnchoringOptions.SectionName;
        var failures = new List<string>();
        if (options.RetryInitial < TimeSpan.FromMilliseconds(10) || options.RetryInitial > TimeSpan.FromHours(1))
        {
            failures.Add($"{section}:RetryInitial must be between 10 ms and 1 hour (got {options.RetryInitial}).");
        }

        if (options.RetryMax < options.RetryInitial || options.RetryMax > TimeSpan.FromHours(6))
        {
            failures.Add($"{section}:RetryMax must be at least RetryInitial ({options.RetryInitial}) and at most 6 hours (got {options.RetryMax}).");
        }

        if (options.WaitSlice < TimeSpan.FromMilliseconds(100) || options.WaitSlice > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{section}:WaitSlice must be between 100 ms and 5 minutes (got {options.WaitSlice}).");
        }

        if (options.ReminderPeriod < TimeSpan.FromSeconds(1) || options.ReminderPeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"{section}:ReminderPeriod must be between 1 second and 1 hour, and at least Reminders:MinimumPeriod (got {options.ReminderPeriod}).");
        }

        if (options.DegradedAfter <= TimeSpan.Zero || options.DegradedAfter > TimeSpan.FromDays(7))
        {
            failures.Add($"{section}:DegradedAfter must be positive and at most 7 days (got {options.DegradedAfter}).");
        }

        if (options.WatchFor < TimeSpan.Zero || options.WatchFor > TimeSpan.FromDays(7))
        {
            failures.Add($"{section}:WatchFor must be between 0 (no watch after confirmation) and 7 days (got {options.WatchFor}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
