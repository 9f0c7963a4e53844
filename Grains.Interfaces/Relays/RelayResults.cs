namespace NexusOrleans.Grains.Relays;

/// <summary>What became of a registration or an unregistration.</summary>
public enum RelayRegistrationStatus
{
    /// <summary>The node is registered now (it was not before).</summary>
    Registered,

    /// <summary>The node was registered already; its endpoint is now the one given, and this counts as a heartbeat.</summary>
    AlreadyRegistered,

    /// <summary>The node is retired now.</summary>
    Unregistered,

    /// <summary>The node was retired already; nothing changed.</summary>
    AlreadyUnregistered,

    /// <summary>This operator never registered the node; nothing changed.</summary>
    NotRegistered,

    /// <summary>A signature is missing, malformed, or not by the operator's wallet (or the relay key); nothing changed.</summary>
    BadSignature,

    /// <summary>The issued-at time is further from the cluster's clock than the allowed skew (a replay, or a wrong clock).</summary>
    OutsideClockSkew,

    /// <summary>A later registration or unregistration of this node was accepted already; this older one is ignored.</summary>
    Superseded,

    /// <summary>The operator's stake is below the network's minimum.</summary>
    InsufficientStake,

    /// <summary>Another operator holds this relay key.</summary>
    RelayKeyTaken,

    /// <summary>The operator has as many registered nodes as one operator may have.</summary>
    TooManyNodes,
}

/// <summary>The outcome of a registration or an unregistration; <paramref name="Reason"/> says why when it was refused.</summary>
public sealed record RelayRegistrationResult(RelayRegistrationStatus Status, string RelayKey, string? Reason = null)
{
    /// <summary>True when the node now stands as asked (registered, or retired), whether by this call or an earlier one.</summary>
    public bool Succeeded => Status is RelayRegistrationStatus.Registered or RelayRegistrationStatus.AlreadyRegistered
        or RelayRegistrationStatus.Unregistered or RelayRegistrationStatus.AlreadyUnregistered;
}

/// <summary>What became of a heartbeat.</summary>
public enum HeartbeatStatus
{
    /// <summary>Recorded: the node is live.</summary>
    Recorded,

    /// <summary>The node is not registered (never was, or was retired); register it first.</summary>
    NotRegistered,
}

/// <summary>The outcome of a heartbeat, with the interval the network wants heartbeats at now (governance may change it).</summary>
public sealed record HeartbeatResult(HeartbeatStatus Status, TimeSpan HeartbeatInterval);
