namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// Event ids of the storage log messages, kept in one place so they stay unique and never change meaning:
/// dashboards and alerts select on them. Storage owns 3000–3099 (the runtime: 1100–1199 observers, 2000–2099 activations,
/// 2100–2199 timers, 2200–2299 reminders, 2400–2499 silo lifecycle, 2500–2599 the silo host, 2700–2799 the cluster: membership, leases, handoff).
/// </summary>
internal static class StorageEventIds
{
    public const int BatchFailed = 3001;

    public const int MigrationApplied = 3010;

    public const int SqliteOpened = 3020;
    public const int SqliteClosed = 3021;

    public const int PostgresReady = 3030;
    public const int PostgresClosed = 3032;
}
