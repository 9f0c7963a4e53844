using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage.InMemory;
using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Sqlite;

namespace NexusOrleans.Runtime.Storage;

/// <summary>Creates the storage providers from the silo's services.</summary>
public static class StorageProviders
{
    /// <summary>The embedded default: one SQLite file.</summary>
    public static IStorageProvider Sqlite(IServiceProvider services, SqliteStorageOptions options)
        => new SqliteStorageProvider(options, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<SqliteStorageProvider>>());

    /// <summary>PostgreSQL, for clusters.</summary>
    public static IStorageProvider Postgres(IServiceProvider services, PostgresStorageOptions options)
        => new PostgresStorageProvider(options, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<PostgresStorageProvider>>());

    /// <summary>Process memory: for tests only, nothing survives a restart.</summary>
    public static IStorageProvider InMemory(IServiceProvider services) => new InMemoryStorageProvider();

    /// <summary>Keeps grain state and reminders in a SQLite file.</summary>
    public static GrainRuntimeBuilder UseSqliteStorage(this GrainRuntimeBuilder builder, Action<SqliteStorageOptions>? configure = null)
    {
        var options = new SqliteStorageOptions();
        configure?.Invoke(options);
        return builder.UseStorage(services => Sqlite(services, options));
    }

    /// <summary>Keeps grain state and reminders in PostgreSQL.</summary>
    public static GrainRuntimeBuilder UsePostgresStorage(this GrainRuntimeBuilder builder, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgresStorageOptions();
        configure(options);
        return builder.UseStorage(services => Postgres(services, options));
    }

    /// <summary>Keeps grain state and reminders in process memory (tests only).</summary>
    public static GrainRuntimeBuilder UseInMemoryStorage(this GrainRuntimeBuilder builder) => builder.UseStorage(InMemory);
}
