using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Reminders;

/// <summary>The arithmetic of reminder due times: tick k is due at StartAt + k × Period.</summary>
internal static class ReminderSchedule
{
    /// <summary>Longest reminder name, in characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>
    /// The first due time to use after loading a stored reminder at <paramref name="now"/>: the latest due time already
    /// passed if its tick was not recorded as delivered (fire at once), else the next one.
    /// </summary>
    public static DateTimeOffset FirstDueOnLoad(ReminderEntry entry, DateTimeOffset now)
    {
        if (entry.StartAt > now)
        {
            return entry.StartAt;
        }

        var lastDue = entry.StartAt + Ticks(entry, (now - entry.StartAt).Ticks / entry.Period.Ticks);
        return entry.LastTickDue is { } delivered && delivered >= lastDue ? lastDue + entry.Period : lastDue;
    }

    /// <summary>
    /// The due time to schedule once the tick due at <paramref name="tickDue"/> completed at <paramref name="now"/>: the
    /// next one, or, when that has already passed, the latest passed (which then fires at once).
    /// </summary>
    public static DateTimeOffset NextDueAfterTick(ReminderEntry entry, DateTimeOffset tickDue, DateTimeOffset now)
    {
        var next = NextDueAfter(entry, tickDue);
        return next > now ? next : NextDueAfter(entry, now) - entry.Period;
    }

    /// <summary>The first due time strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextDueAfter(ReminderEntry entry, DateTimeOffset after)
        => after < entry.StartAt
            ? entry.StartAt
            : entry.StartAt + Ticks(entry, ((after - entry.StartAt).Ticks / entry.Period.Ticks) + 1);

    /// <summary>k periods, in exact integer ticks.</summary>
    private static TimeSpan Ticks(ReminderEntry entry, long periods) => TimeSpan.FromTicks(checked(entry.Period.Ticks * periods));

    public static TimeSpan WholeMilliseconds(TimeSpan value)
        => TimeSpan.FromTicks(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond));

    public static DateTimeOffset WholeMilliseconds(DateTimeOffset value)
        => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"A reminder name must have 1 to {MaxNameLength} characters (got {name.Length}).", nameof(name));
        }

        if (name.Any(char.IsControl))
        {
            throw new ArgumentException("A reminder name must not contain control characters.", nameof(name));
        }
    }
}
