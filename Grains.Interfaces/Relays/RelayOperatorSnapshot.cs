namespace NexusOrleans.Grains.Relays;

/// <summary>A node as its operator grain sees it now.</summary>
public enum RelayNodeStatus
{
    /// <summary>Registered, and its last heartbeat is within the network's outage gap.</summary>
    Live,

    /// <summary>Registered, but no heartbeat within the outage gap: down, or cut off from the cluster.</summary>
    Stale,

    /// <summary>Retired by its operator.</summary>
    Unregistered,
}

/// <summary>What happened to a node's registration.</summary>
public enum RelayNodeEventKind
{
    Registered,
    Unregistered,
}

/// <summary>A registration or unregistration, at the cluster's time.</summary>
public sealed record RelayNodeEvent(DateTimeOffset At, RelayNodeEventKind Kind);

/// <summary>
/// Two heartbeats further apart than twice the heartbeat interval (at least one beat missed). The network's outage gap
/// is at least that long, so every outage is among these.
/// </summary>
public sealed record HeartbeatGap(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>How long the node was silent.</summary>
    public TimeSpan Length => To - From;
}

/// <summary>How many heartbeats a node sent in the UTC hour starting at <paramref name="Hour"/>.</summary>
public sealed record HeartbeatHour(DateTimeOffset Hour, int Heartbeats);

/// <summary>
/// One relay node of an operator, with what the reward epochs judge it by: its registration events, heartbeat gaps and
/// heartbeat counts of the current and the previous UTC hour (older ones are dropped). A gap still open (no heartbeat
/// since <see cref="LastHeartbeat"/>) is not in <see cref="Gaps"/>: it ends at the next heartbeat, or it is <c>now − LastHeartbeat</c>.
/// </summary>
public sealed record RelayNodeSnapshot(
    string RelayKey,
    string Endpoint,
    RelayNodeStatus Status,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? UnregisteredAt,
    DateTimeOffset? LastHeartbeat,
    IReadOnlyList<RelayNodeEvent> Events,
    IReadOnlyList<HeartbeatGap> Gaps,
    IReadOnlyList<HeartbeatHour> Hours);

/// <summary>An operator: its stake now (base units) and its nodes, as of <paramref name="AsOf"/> on the cluster's clock.</summary>
public sealed record RelayOperatorSnapshot(string Operator, UInt128 Stake, IReadOnlyList<RelayNodeSnapshot> Nodes, DateTimeOffset AsOf);
