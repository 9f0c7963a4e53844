using Microsoft.Extensions.Logging.Abstractions;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.InMemory;
using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Sqlite;
using Xunit;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>A place where providers can be created, repeatedly, over the same data.</summary>
public interface IStorageTarget : IAsyncDisposable
{
    IStorageProvider CreateProvider();
}

/// <summary>In-process memory. Every provider created from it is a new, empty store.</summary>
public sealed class MemoryTarget : IStorageTarget
{
    public IStorageProvider CreateProvider() => new InMemoryStorageProvider();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A SQLite file in a fresh temporary directory, deleted on dispose.</summary>
public sealed class SqliteTarget(int maxBatchSize = 256) : IStorageTarget
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("nexus-sqlite-test-").FullName;

    public string DatabasePath => Path.Combine(Directory, "nested", "nexus.db");

    public IStorageProvider CreateProvider() => Create();

    public SqliteStorageProvider Create() => new(
        new SqliteStorageOptions { Path = DatabasePath, MaxBatchSize = maxBatchSize },
        TimeProvider.System,
        NullLogger<SqliteStorageProvider>.Instance);

    public ValueTask DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A PostgreSQL database (created elsewhere, left in place on dispose).</summary>
public sealed class PostgresTarget(string connectionString, int maxBatchSize = 128) : IStorageTarget
{
    public string ConnectionString => connectionString;

    public IStorageProvider CreateProvider() => Create();

    public PostgresStorageProvider Create() => new(
        new PostgresStorageOptions { ConnectionString = connectionString, MaxBatchSize = maxBatchSize },
        TimeProvider.System,
        NullLogger<PostgresStorageProvider>.Instance);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
