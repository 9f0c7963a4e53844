namespace NexusOrleans.Runtime;

/// <summary>
/// Implemented by grains that register reminders. The runtime calls <see cref="ReceiveReminder"/> when a reminder
/// is due, activating the grain first if it is not active.
/// </summary>
/// <remarks>
/// Delivery is <b>at least once</b>: a tick whose handler did not complete before a crash is delivered again after
/// the restart, and ticks missed while the silo was down are delivered as one tick when it comes back.
/// Handlers must therefore be idempotent: do the work that is due as of <see cref="TickStatus.CurrentTickTime"/>
/// (or as of now), not "one more unit of work per tick".
/// </remarks>
public interface IRemindable : IGrain
{
    /// <summary>A reminder of this grain is due.</summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>Describes one reminder tick.</summary>
/// <param name="FirstTickTime">When the reminder was first due.</param>
/// <param name="Period">The reminder's period.</param>
/// <param name="CurrentTickTime">The due time this tick stands for (the latest one, when several were missed).</param>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);

/// <summary>A registered reminder.</summary>
public interface IGrainReminder
{
    /// <summary>The reminder's name, unique per grain.</summary>
    string ReminderName { get; }

    /// <summary>When the reminder is first due.</summary>
    DateTimeOffset FirstTickTime { get; }

    /// <summary>Time between ticks.</summary>
    TimeSpan Period { get; }
}

/// <summary>The durable reminders of one grain.</summary>
public interface IGrainReminderRegistry
{
    /// <summary>Stores the reminder (replacing one of the same name) and schedules it; completes once stored.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The period is below the silo's minimum, or the due time is negative.</exception>
    /// <exception cref="InvalidOperationException">The grain class does not implement <see cref="IRemindable"/>.</exception>
    Task<IGrainReminder> RegisterOrUpdateAsync(string reminderName, TimeSpan dueTime, TimeSpan period);

    /// <summary>Removes the reminder from storage and stops it; does nothing when it does not exist.</summary>
    Task UnregisterAsync(string reminderName);

    /// <summary>The stored reminder with this name, or null.</summary>
    Task<IGrainReminder?> GetAsync(string reminderName);

    /// <summary>All stored reminders of this grain.</summary>
    Task<IReadOnlyList<IGrainReminder>> GetAllAsync();
}
