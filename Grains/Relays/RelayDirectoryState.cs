namespace NexusOrleans.Grains.Relays;

/// <summary>What the relay directory stores (one JSON row): every registered node by relay key, without heartbeat times.</summary>
public sealed class RelayDirectoryState
{
    /// <summary>Registered nodes by relay key (64 lowercase hex); <see cref="RelayDirectoryEntry.LastHeartbeat"/> is never stored.</summary>
    public Dictionary<string, RelayDirectoryEntry> Entries { get; set; } = new(StringComparer.Ordinal);
}
