namespace NexusOrleans.Grains.Relays;

/// <summary>A registered relay node as the directory lists it.</summary>
/// <param name="RelayKey">The node's Ed25519 key, 64 lowercase hex characters.</param>
/// <param name="Operator">The operator's address, "0x" + 40 lowercase hex characters.</param>
/// <param name="Endpoint">Where phones connect (ws:// or wss://).</param>
/// <param name="Stake">The operator's stake in base units, as last read by its operator grain.</param>
/// <param name="RegisteredAt">When the node was registered.</param>
/// <param name="LastHeartbeat">When the directory last heard of the node; null when it has not since it activated.</param>
public sealed record RelayDirectoryEntry(
    string RelayKey,
    string Operator,
    string Endpoint,
    UInt128 Stake,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? LastHeartbeat = null);
