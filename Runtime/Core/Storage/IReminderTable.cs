namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// Where durable reminders live, one row per (grain, reminder name). Times are stored to the millisecond;
/// the reminder service only hands in whole milliseconds, and every provider returns them unchanged.
/// </summary>
public interface IReminderTable
{
    /// <summary>Every stored reminder. (The cluster will read one partition range at a time.)</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>The reminders of one grain.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>One reminder, or null.</summary>
    Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or replaces the reminder with the entry's start, period and last tick (its ETag is ignored).
    /// Returns the row's new ETag, which differs from every earlier ETag of that row. Durable when it completes.
    /// </summary>
    Task<string> UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes the reminder; returns false when it did not exist. Durable when it completes.</summary>
    Task<bool> RemoveAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the tick due at <paramref name="tickDue"/> was delivered, if the row still has ETag
    /// <paramref name="eTag"/> (it was not re-registered or removed since). Does not change the ETag.
    /// Returns false when the row is gone or has another ETag.
    /// </summary>
    Task<bool> RecordTickAsync(GrainId grainId, string reminderName, string eTag, DateTimeOffset tickDue, CancellationToken cancellationToken);
}

/// <summary>A stored reminder.</summary>
/// <param name="GrainId">The grain it wakes.</param>
/// <param name="Name">Unique per grain.</param>
/// <param name="StartAt">When it is first due.</param>
/// <param name="Period">Time between ticks (whole milliseconds).</param>
/// <param name="LastTickDue">The due time of the last tick delivered, or null when none was.</param>
/// <param name="ETag">The row's version; null on an entry not read from storage.</param>
public sealed record ReminderEntry(
    GrainId GrainId, string Name, DateTimeOffset StartAt, TimeSpan Period, DateTimeOffset? LastTickDue, string? ETag);
