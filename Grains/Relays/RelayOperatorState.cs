namespace NexusOrleans.Grains.Relays;

/// <summary>What an operator grain stores (one JSON row): its nodes by relay key.</summary>
public sealed class RelayOperatorState
{
    /// <summary>Nodes by relay key (64 lowercase hex). Retired nodes stay while their last event is within the last two hours.</summary>
    public Dictionary<string, RelayNodeState> Nodes { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One node of an operator, with the recent history the reward epochs read.</summary>
public sealed class RelayNodeState
{
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>True from registration to unregistration.</summary>
    public bool Registered { get; set; }

    /// <summary>When the current (or last) registration was accepted.</summary>
    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>When it was last retired; null while registered.</summary>
    public DateTimeOffset? UnregisteredAt { get; set; }

    /// <summary>Issued-at (Unix ms) of the last signed request accepted for this node: older ones are refused as superseded.</summary>
    public long LastIssuedAtMs { get; set; }

    /// <summary>The last heartbeat (a registration counts as one).</summary>
    public DateTimeOffset? LastHeartbeat { get; set; }

    /// <summary>Registrations and unregistrations of the current and previous hour.</summary>
    public List<RelayNodeEvent> Events { get; set; } = [];

    /// <summary>Gaps of more than two heartbeat intervals that ended in the current or previous hour.</summary>
    public List<HeartbeatGap> Gaps { get; set; } = [];

    /// <summary>Heartbeats counted per UTC hour, current and previous hour only.</summary>
    public List<HeartbeatHour> Hours { get; set; } = [];
}
