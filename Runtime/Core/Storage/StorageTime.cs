namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// Reminder times are kept to the millisecond. Every provider truncates the same way before storing, so what is read
/// back is exactly what was stored, in UTC, whichever database is underneath.
/// </summary>
internal static class StorageTime
{
    public static long ToUnixMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static DateTimeOffset Truncate(DateTimeOffset time) => FromUnixMilliseconds(ToUnixMilliseconds(time));

    public static DateTimeOffset? Truncate(DateTimeOffset? time) => time is { } t ? Truncate(t) : null;

    public static long ToMilliseconds(TimeSpan period) => period.Ticks / TimeSpan.TicksPerMillisecond;

    public static TimeSpan FromMilliseconds(long milliseconds) => TimeSpan.FromTicks(milliseconds * TimeSpan.TicksPerMillisecond);
}
