namespace NexusOrleans.Grains.Epochs;

/// <summary>A stretch of time a relay node was measured to be serving: from one heartbeat to a later one with no gap in between above the outage gap.</summary>
public readonly record struct ServiceInterval(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>How long the stretch lasted.</summary>
    public TimeSpan Duration => End - Start;
}

/// <summary>
/// Which UTC hours a relay node served in full. Rewards are paid only for whole hours: an hour counts when one unbroken
/// service interval covers it from its first instant to its last, so a node registered at 10:01 and serving until 13:00
/// has served 11:00 and 12:00 (two hours), and a crash at 10:30 costs the whole of 10:00, even if the node is back by 10:31.
/// </summary>
public static class ServiceHours
{
    /// <summary>The start of the UTC hour that contains <paramref name="instant"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset instant) => EpochKeys.HourOf(instant);

    /// <summary>Whether <paramref name="intervals"/> contain one interval that covers the whole hour starting at <paramref name="hour"/>.</summary>
    public static bool ServedWholeHour(IEnumerable<ServiceInterval> intervals, DateTimeOffset hour)
    {
        RequireHourStart(hour);
        return ServedWhole(intervals, hour, EpochKeys.Hour);
    }

    /// <summary>
    /// Whether <paramref name="intervals"/> contain one interval that covers the whole epoch of <paramref name="length"/>
    /// starting at <paramref name="start"/>: the hour rule, for epochs shorter than an hour.
    /// </summary>
    public static bool ServedWhole(IEnumerable<ServiceInterval> intervals, DateTimeOffset start, TimeSpan length)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var end = start + length;
        return intervals.Any(interval => interval.Start <= start && interval.End >= end);
    }

    /// <summary>The starts of every UTC hour that one of <paramref name="intervals"/> covers whole, in order, without repeats.</summary>
    public static IReadOnlyList<DateTimeOffset> FullHours(IEnumerable<ServiceInterval> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var hours = new SortedSet<DateTimeOffset>();
        foreach (var interval in intervals)
        {
            if (interval.End < interval.Start)
            {
                throw new ArgumentException($"A service interval ends ({interval.End:O}) before it starts ({interval.Start:O}).", nameof(intervals));
            }

            var first = HourOf(interval.Start);
            if (first < interval.Start)
            {
                first = first.AddHours(1);
            }

            for (var hour = first; hour.AddHours(1) <= interval.End; hour = hour.AddHours(1))
            {
                hours.Add(hour);
            }
        }

        return [.. hours];
    }

    /// <summary>Throws unless <paramref name="hour"/> is the first instant of a UTC hour.</summary>
    public static void RequireHourStart(DateTimeOffset hour)
    {
        if (HourOf(hour) != hour)
        {
            throw new ArgumentException($"{hour:O} is not the start of a UTC hour (hh:00:00.000).", nameof(hour));
        }
    }
}
