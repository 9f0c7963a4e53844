namespace NexusOrleans.Grains.Relays;

/// <summary>
/// Keeps a node's recent history: heartbeats counted per UTC hour, gaps longer than two heartbeat intervals, and
/// registration events, each kept while it touches the current or the previous hour, which is all an hourly reward
/// epoch needs (it closes an hour soon after it ends). Everything is judged on the cluster's clock, never the relay's.
/// </summary>
internal static class RelayNodeHistory
{
    /// <summary>A gap is recorded when two heartbeats are more than this many intervals apart: at least one beat was missed.</summary>
    public const int GapIntervals = 2;

    /// <summary>Start of the UTC hour holding <paramref name="time"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset time)
        => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    /// <summary>A heartbeat now: records the gap since the last one if it was long, and counts it in its hour.</summary>
    public static void Heartbeat(RelayNodeState node, DateTimeOffset now, TimeSpan heartbeatInterval)
    {
        if (node.LastHeartbeat is { } last && now - last > heartbeatInterval * GapIntervals)
        {
            node.Gaps.Add(new HeartbeatGap(last, now));
        }

        if (node.LastHeartbeat is not { } previous || now > previous)
        {
            node.LastHeartbeat = now;
        }

        Count(node, now);
        Prune(node, now);
    }

    /// <summary>A registration of a node that was not registered: an event, and a fresh start for its heartbeats.</summary>
    public static void Registered(RelayNodeState node, DateTimeOffset now)
    {
        node.Events.Add(new RelayNodeEvent(now, RelayNodeEventKind.Registered));
        node.RegisteredAt = now;
        node.UnregisteredAt = null;

        // The time spent retired is not an outage: heartbeats start over from the registration.
        node.LastHeartbeat = now;
        Count(node, now);
        Prune(node, now);
    }

    /// <summary>An unregistration: an event; heartbeats stop counting.</summary>
    public static void Unregistered(RelayNodeState node, DateTimeOffset now)
    {
        node.Events.Add(new RelayNodeEvent(now, RelayNodeEventKind.Unregistered));
        node.UnregisteredAt = now;
        Prune(node, now);
    }

    /// <summary>Drops what ended before the previous hour.</summary>
    public static void Prune(RelayNodeState node, DateTimeOffset now)
    {
        var keepFrom = HourOf(now).AddHours(-1);
        node.Events.RemoveAll(item => item.At < keepFrom);
        node.Gaps.RemoveAll(gap => gap.To < keepFrom);
        node.Hours.RemoveAll(hour => hour.Hour < keepFrom);
    }

    /// <summary>True when nothing about a retired node matters to any epoch still open.</summary>
    public static bool IsForgettable(RelayNodeState node, DateTimeOffset now)
        => !node.Registered && node.UnregisteredAt is { } retired && retired < HourOf(now).AddHours(-1);

    /// <summary>How the node stands now.</summary>
    public static RelayNodeStatus StatusOf(RelayNodeState node, DateTimeOffset now, TimeSpan outageGap)
        => !node.Registered ? RelayNodeStatus.Unregistered
            : node.LastHeartbeat is { } last && now - last <= outageGap ? RelayNodeStatus.Live
            : RelayNodeStatus.Stale;

    /// <summary>An immutable copy, for handing out of the grain.</summary>
    public static RelayNodeSnapshot Snapshot(string relayKey, RelayNodeState node, DateTimeOffset now, TimeSpan outageGap)
    {
        var keepFrom = HourOf(now).AddHours(-1);
        return new RelayNodeSnapshot(
            relayKey,
            node.Endpoint,
            StatusOf(node, now, outageGap),
            node.RegisteredAt,
            node.UnregisteredAt,
            node.LastHeartbeat,
            node.Events.Where(item => item.At >= keepFrom).ToArray(),
            node.Gaps.Where(gap => gap.To >= keepFrom).ToArray(),
            node.Hours.Where(hour => hour.Hour >= keepFrom).ToArray());
    }

    private static void Count(RelayNodeState node, DateTimeOffset now)
    {
        var hour = HourOf(now);
        var index = node.Hours.FindIndex(item => item.Hour == hour);
        if (index < 0)
        {
            node.Hours.Add(new HeartbeatHour(hour, 1));
        }
        else
        {
            node.Hours[index] = node.Hours[index] with { Heartbeats = node.Hours[index].Heartbeats + 1 };
        }
    }
}
