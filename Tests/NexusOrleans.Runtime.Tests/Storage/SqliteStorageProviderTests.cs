using NexusOrleans.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Sqlite;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>What only the SQLite provider does: the file, its directory, its schema and its durability settings.</summary>
public sealed class SqliteStorageProviderTests : IAsyncLifetime
{
    private readonly SqliteTestStore _target = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _target.DisposeAsync();

    [Fact]
    public async Task Provider_ReopenedOnSameFile_ReadsEarlierWrites()
    {
        var grain = NewGrain();
        string eTag;
        await using (var first = await StartAsync())
        {
            eTag = await first.GrainStorage.WriteAsync(new GrainStateWrite(grain, "state", Bytes("kept"), null), Ct).WithTimeout();
        }

        await using var reopened = await StartAsync();
        var stored = await reopened.GrainStorage.ReadAsync(grain, "state", Ct).WithTimeout();

        Assert.Equal("kept", System.Text.Encoding.UTF8.GetString(stored!.Payload!));
        Assert.Equal(eTag, stored.ETag);
    }

    [Fact]
    public async Task Initialize_MissingDirectory_CreatesItAndTheFile()
    {
        await using var provider = await StartAsync();

        Assert.True(File.Exists(_target.DatabasePath));
    }

    [Fact]
    public async Task Initialize_NewFile_UsesWriteAheadLogging()
    {
        await using var provider = await StartAsync();

        Assert.Equal("wal", await ScalarAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public void Location_RelativePath_IsTheFullPath()
    {
        var provider = new SqliteStorageProvider(
            new SqliteStorageOptions { Path = "relative/nexus.db" }, TimeProvider.System, NullLogger<SqliteStorageProvider>.Instance);

        Assert.Equal(Path.GetFullPath("relative/nexus.db"), provider.Location);
        Assert.Equal("sqlite", provider.Name);
    }

    [Fact]
    public async Task Initialize_PathUnderRegularFile_ThrowsStorageUnavailableNamingSqliteAndPath()
    {
        var regularFile = Path.Combine(_target.Directory, "plain-file");
        await File.WriteAllTextAsync(regularFile, "not a directory", Ct);
        var path = Path.Combine(regularFile, "data", "nexus.db");
        await using var provider = new SqliteStorageProvider(
            new SqliteStorageOptions { Path = path }, TimeProvider.System, NullLogger<SqliteStorageProvider>.Instance);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => provider.InitializeAsync(Ct)).WithTimeout();

        Assert.Equal("sqlite", error.StoreName);
        Assert.Equal(path, error.Location);
        Assert.Equal(
            $"Storage 'sqlite' at {path} is unavailable: '{regularFile}' is a regular file, so the directory of the database cannot be created there",
            error.Message);
    }

    [Fact]
    public async Task Initialize_SecondTimeOnSameFile_AppliesEachMigrationOnce()
    {
        await (await StartAsync()).DisposeAsync();

        await using var again = await StartAsync();

        Assert.Equal("1", await ScalarAsync("SELECT group_concat(version) FROM nexus_schema_version;"));
    }

    [Fact]
    public async Task Initialize_TwoProvidersConcurrentlyOnNewFile_BothSucceed()
    {
        await using var first = _target.Create();
        await using var second = _target.Create();

        await Task.WhenAll(first.InitializeAsync(Ct), second.InitializeAsync(Ct)).WithTimeout();

        Assert.Equal("1", await ScalarAsync("SELECT group_concat(version) FROM nexus_schema_version;"));
    }

    [Fact]
    public async Task Initialize_SchemaNewerThanKnown_ThrowsStorageUnavailableSayingSo()
    {
        await (await StartAsync()).DisposeAsync();
        await ScalarAsync("INSERT INTO nexus_schema_version (version, name, applied_at) VALUES (999, 'from_the_future', 0);");
        await using var provider = _target.Create();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => provider.InitializeAsync(Ct)).WithTimeout();

        Assert.Contains("schema is at version 999, newer than version 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(_target.DatabasePath, error.Location);
        Assert.Equal("1,999", await ScalarAsync("SELECT group_concat(version) FROM nexus_schema_version;"));
    }

    [Fact]
    public async Task Write_WhileAnotherProcessHoldsTheWriteLock_FailsAsUnavailableAfterBusyTimeout()
    {
        await using var provider = new SqliteStorageProvider(
            new SqliteStorageOptions { Path = _target.DatabasePath, BusyTimeout = TimeSpan.FromMilliseconds(100) },
            TimeProvider.System,
            NullLogger<SqliteStorageProvider>.Instance);
        await provider.InitializeAsync(Ct).WithTimeout();
        await using var other = new SqliteConnection($"Data Source={_target.DatabasePath};Pooling=False");
        await other.OpenAsync(Ct);
        await using var lockHolder = other.BeginTransaction(deferred: false);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(
            () => provider.GrainStorage.WriteAsync(new GrainStateWrite(NewGrain(), "state", Bytes("blocked"), null), Ct)).WithTimeout();

        Assert.Contains("locked by another connection or process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_OpenFile_Succeeds()
    {
        await using var provider = await StartAsync();

        await provider.CheckHealthAsync(Ct).WithTimeout();
    }

    private async Task<SqliteStorageProvider> StartAsync()
    {
        var provider = _target.Create();
        await provider.InitializeAsync(Ct).WithTimeout();
        return provider;
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_target.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync(Ct))?.ToString();
    }
}
