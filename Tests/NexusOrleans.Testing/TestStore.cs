using Microsoft.Extensions.Logging.Abstractions;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.InMemory;
using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Sqlite;
using NexusOrleans.Testing.Postgres;

namespace NexusOrleans.Testing;

/// <summary>The storage backends a test can run a silo on.</summary>
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
/// on the same file or database would get.
/// </summary>
public abstract class TestStore : IAsyncDisposable
{
    /// <summary>Which backend this is.</summary>
    public abstract StoreKind Kind { get; }

    /// <summary>A new provider over this store's data; the silo that receives it disposes it.</summary>
    public abstract IStorageProvider CreateProvider();

    /// <summary>Creates an empty store of the given kind.</summary>
    public static async Task<TestStore> CreateAsync(StoreKind kind) => kind switch
    {
        StoreKind.Memory => new MemoryStore(),
        StoreKind.Sqlite => new SqliteStore(),
        StoreKind.Postgres => new PostgresStore(await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private sealed class MemoryStore : TestStore
    {
        private readonly InMemoryStorageProvider _data = new();

        public override StoreKind Kind => StoreKind.Memory;

        public override IStorageProvider CreateProvider() => new SurvivingDisposal(_data);

        /// <summary>Memory has no file to reopen: later silos share the first provider, which is never disposed.</summary>
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

    private sealed class SqliteStore : TestStore
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("nexus-test-sqlite-");

        public override StoreKind Kind => StoreKind.Sqlite;

        public override IStorageProvider CreateProvider() => new SqliteStorageProvider(
            new SqliteStorageOptions { Path = Path.Combine(_directory.FullName, "nexus.db") },
            TimeProvider.System,
            NullLogger<SqliteStorageProvider>.Instance);

        public override ValueTask DisposeAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _directory.Delete(recursive: true);
            return base.DisposeAsync();
        }
    }

    private sealed class PostgresStore(string connectionString) : TestStore
    {
        public override StoreKind Kind => StoreKind.Postgres;

        public override IStorageProvider CreateProvider() => new PostgresStorageProvider(
            new PostgresStorageOptions { ConnectionString = connectionString },
            TimeProvider.System,
            NullLogger<PostgresStorageProvider>.Instance);
    }
}
