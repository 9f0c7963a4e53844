using Microsoft.Extensions.Options;

namespace NexusOrleans.Runtime.Hosting;

/// <summary>Settings of the grain runtime (configuration section <c>Grains</c>).</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Grains";

    /// <summary>An activation with no call for this long is deactivated. Reminder ticks count as calls; timer ticks do not.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for; an idle activation goes between
    /// <see cref="CollectionAge"/> and <see cref="CollectionAge"/> + this after its last call.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a graceful shutdown may take: finishing accepted calls, deactivating every grain, flushing storage.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Work items an activation runs before yielding its thread to other activations.</summary>
    public int MaxWorkItemsPerSlice { get; set; } = 64;
}

/// <summary>Settings of durable reminders (configuration section <c>Reminders</c>).</summary>
public sealed class ReminderOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Reminders";

    /// <summary>The shortest period a reminder may have. Reminders are for minutes and hours; use timers for seconds.</summary>
    public TimeSpan MinimumPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class GrainRuntimeOptionsValidator : IValidateOptions<GrainRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainRuntimeOptions options)
    {
        var failures = new List<string>();
        if (options.CollectionAge <= TimeSpan.Zero)
        {
            failures.Add($"Grains:CollectionAge must be positive (got {options.CollectionAge}).");
        }

        if (options.CollectionQuantum <= TimeSpan.Zero || options.CollectionQuantum > options.CollectionAge)
        {
            failures.Add($"Grains:CollectionQuantum must be positive and at most CollectionAge (got {options.CollectionQuantum}, age {options.CollectionAge}).");
        }

        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Grains:ShutdownTimeout must be positive (got {options.ShutdownTimeout}).");
        }

        if (options.MaxWorkItemsPerSlice < 1)
        {
            failures.Add($"Grains:MaxWorkItemsPerSlice must be at least 1 (got {options.MaxWorkItemsPerSlice}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class ReminderOptionsValidator : IValidateOptions<ReminderOptions>
{
    public ValidateOptionsResult Validate(string? name, ReminderOptions options)
        => options.MinimumPeriod < TimeSpan.FromMilliseconds(1)
            ? ValidateOptionsResult.Fail($"Reminders:MinimumPeriod must be at least 1 ms (got {options.MinimumPeriod}).")
            : ValidateOptionsResult.Success;
}
