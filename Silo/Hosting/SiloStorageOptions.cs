using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Sqlite;

namespace NexusOrleans.Silo.Hosting;

/// <summary>Which store the silo keeps grain state and reminders in (configuration section <c>Storage</c>).</summary>
public sealed class SiloStorageOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Storage";

    /// <summary><c>sqlite</c> (default), <c>postgres</c> or <c>memory</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Settings of the SQLite store.</summary>
    public SqliteStorageOptions Sqlite { get; set; } = new();

    /// <summary>Settings of the PostgreSQL store.</summary>
    public PostgresStorageOptions Postgres { get; set; } = new();
}
