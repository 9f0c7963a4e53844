namespace NexusOrleans.Runtime.Timers;

/// <summary>Arming a relative timer for an absolute instant.</summary>
internal static class TimerExtensions
{
    /// <summary>Drift of the clock during one arming that is small enough to ignore.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Arms <paramref name="timer"/> to fire once at <paramref name="due"/>. A timer takes a delay measured from when it is
    /// changed, so the clock is read again afterwards: if it moved on meanwhile (a preempted thread, a clock stepped by a
    /// test), the timer is armed again, so it never fires later than <paramref name="due"/> by more than that drift.
    /// </summary>
    public static void FireAt(this ITimer timer, TimeProvider timeProvider, DateTimeOffset due)
    {
        var now = timeProvider.GetUtcNow();
        while (true)
        {
            timer.Change(due > now ? due - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            var after = timeProvider.GetUtcNow();
            if (after - now <= Tolerance || due <= now)
            {
                return;
            }

            now = after;
        }
    }
}
