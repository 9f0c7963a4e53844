namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// Event ids of the storage log messages, kept in one place so they stay unique and never change meaning:
/// dashboards and alerts select on them. Storage owns 2100–2199.
/// </summary>
internal static class StorageEventIds
{
    public const int BatchFailed = 2101;

    public const int MigrationApplied = 2110;

    public const int SqliteOpened = 2120;
    public const int SqliteClosed = 2121;

    public const int PostgresReady = 2130;
    public const int PostgresClosed = 2132;
}
