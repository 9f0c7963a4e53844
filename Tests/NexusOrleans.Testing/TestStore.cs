using Microsoft.Extensions.Logging.Abstractions;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.InMemory;
using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Sqlite;
using NexusOrleans.Testing.Postgres;

namespace NexusOrleans.Testing;

/// <summary>The storage backends a test can run on.</summary>
public enum StoreKind
{
    /// <summary>In process memory.</summary>
    Memory,

    /// <summary>A SQLite file in a fresh temporary directory.</summary>
    Sqlite,

    /// <summary>A fresh database on the test PostgreSQL server.</summary>
    Postgres,
}

/// <summary>
/// One test's store. Each <see cref="CreateProvider"/> returns a new provider over the same data, as a silo restarting
/// on the same file or database would get; whoever receives a provider disposes it.
/// </summary>
public abstract class TestStore : IAsyncDisposable
{
    /// <summary>A new provider over this store's data.</summary>
    public abstract IStorageProvider CreateProvider();

    /// <summary>Creates an empty store of the given kind, with the providers' default batch sizes.</summary>
    public static async Task<TestStore> CreateAsync(StoreKind kind) => kind switch
    {
        StoreKind.Memory => new MemoryTestStore(),
        StoreKind.Sqlite => new SqliteTestStore(),
        StoreKind.Postgres => new PostgresTestStore(await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Process memory. Memory has no file to reopen, so every provider handed out shares one in-memory provider, which
/// disposing them leaves alone: data survives a "restart" as it would in a file.
/// </summary>
public sealed class MemoryTestStore : TestStore
{
    private readonly InMemoryStorageProvider _data = new();

    /// <inheritdoc />
    public override IStorageProvider CreateProvider() => new SurvivingDisposal(_data);

    private sealed class SurvivingDisposal(IStorageProvider inner) : IStorageProvider
    {
        public string Name => inner.Name;

        public string Location => inner.Location;

        public IGrainStorage GrainStorage => inner.GrainStorage;

        public IReminderTable Reminders => inner.Reminders;

        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A SQLite file in a fresh temporary directory (one level down, so providers must create it), deleted on dispose.</summary>
public sealed class SqliteTestStore(int maxBatchSize = 256) : TestStore
{
    /// <summary>The temporary directory.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("nexus-test-sqlite-").FullName;

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.Combine(Directory, "nested", "nexus.db");

    /// <inheritdoc />
    public override IStorageProvider CreateProvider() => Create();

    /// <summary>A new provider over the file.</summary>
    public SqliteStorageProvider Create() => new(
        new SqliteStorageOptions { Path = DatabasePath, MaxBatchSize = maxBatchSize },
        TimeProvider.System,
        NullLogger<SqliteStorageProvider>.Instance);

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return base.DisposeAsync();
    }
}

/// <summary>A PostgreSQL database created by the caller; left in place on dispose (the test server is thrown away).</summary>
public sealed class PostgresTestStore(string connectionString, int maxBatchSize = 128) : TestStore
{
    /// <summary>The database's connection string.</summary>
    public string ConnectionString => connectionString;

    /// <inheritdoc />
    public override IStorageProvider CreateProvider() => Create();

    /// <summary>A new provider over the database.</summary>
    public PostgresStorageProvider Create() => new(
        new PostgresStorageOptions { ConnectionString = connectionString, MaxBatchSize = maxBatchSize },
        TimeProvider.System,
        NullLogger<PostgresStorageProvider>.Instance);
}
