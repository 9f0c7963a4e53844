using NexusOrleans.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Postgres;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>What only the PostgreSQL provider does: schema migration across silos, failures, and keeping the password secret.</summary>
public sealed class PostgresStorageProviderTests(PostgresServerFixture postgres)
{
    private const string Password = "Sup3r-Secret-Passw0rd";

    [Fact]
    public async Task Initialize_TwoProvidersConcurrentlyOnNewDatabase_BothSucceedAndMigrateOnce()
    {
        var target = new PostgresTestStore(await NewDatabaseAsync());
        await using var first = target.Create();
        await using var second = target.Create();

        await Task.WhenAll(first.InitializeAsync(Ct), second.InitializeAsync(Ct)).WithTimeout();

        Assert.Equal("1,2", await ScalarAsync(target, "SELECT string_agg(version::text, ',' ORDER BY version) FROM nexus_schema_version"));
    }

    [Fact]
    public async Task Initialize_SecondTime_AppliesNothingNew()
    {
        var target = new PostgresTestStore(await NewDatabaseAsync());
        await using (var first = target.Create())
        {
            await first.InitializeAsync(Ct).WithTimeout();
        }

        await using var second = target.Create();
        await second.InitializeAsync(Ct).WithTimeout();

        Assert.Equal("1,2", await ScalarAsync(target, "SELECT string_agg(version::text, ',' ORDER BY version) FROM nexus_schema_version"));
    }

    [Fact]
    public async Task Initialize_SchemaNewerThanKnown_ThrowsStorageUnavailableSayingSo()
    {
        var target = new PostgresTestStore(await NewDatabaseAsync());
        await using (var first = target.Create())
        {
            await first.InitializeAsync(Ct).WithTimeout();
        }

        await ScalarAsync(target, "INSERT INTO nexus_schema_version (version, name, applied_at) VALUES (999, 'from_the_future', now())");
        await using var provider = target.Create();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => provider.InitializeAsync(Ct)).WithTimeout();

        Assert.Contains("schema is at version 999, newer than version 2", error.Message, StringComparison.Ordinal);
        Assert.Equal("postgres", error.StoreName);
    }

    [Fact]
    public async Task Initialize_NothingListening_ThrowsStorageUnavailableQuicklyWithoutPassword()
    {
        var port = UnusedPort();
        await using var provider = Create($"Host=127.0.0.1;Port={port};Database=nexus;Username=nexus;Password={Password}");
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => provider.InitializeAsync(Ct)).WithTimeout();

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal($"Storage 'postgres' at 127.0.0.1:{port}/nexus is unavailable: connection refused", error.Message);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_NothingListening_ThrowsStorageUnavailableWithoutPassword()
    {
        var port = UnusedPort();
        await using var provider = Create($"Host=127.0.0.1;Port={port};Database=nexus;Username=nexus;Password={Password}");

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => provider.CheckHealthAsync(Ct)).WithTimeout();

        Assert.Equal($"Storage 'postgres' at 127.0.0.1:{port}/nexus is unavailable: connection refused", error.Message);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_WrongPassword_ThrowsStorageUnavailableNamingUserNotPassword()
    {
        var builder = new NpgsqlConnectionStringBuilder(await NewDatabaseAsync()) { Password = Password };
        await using var provider = Create(builder.ConnectionString);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => provider.InitializeAsync(Ct)).WithTimeout();

        Assert.EndsWith($"is unavailable: authentication failed for user '{builder.Username}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_MissingDatabase_ThrowsStorageUnavailableNamingIt()
    {
        var builder = new NpgsqlConnectionStringBuilder(await NewDatabaseAsync()) { Database = "nexus_no_such_database" };
        await using var provider = Create(builder.ConnectionString);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => provider.InitializeAsync(Ct)).WithTimeout();

        Assert.EndsWith("is unavailable: database 'nexus_no_such_database' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Location_ConnectionStringWithPassword_IsHostPortDatabaseOnly()
    {
        var provider = Create($"Host=db.internal;Port=6432;Database=nexus;Username=relay;Password={Password}");

        Assert.Equal("db.internal:6432/nexus", provider.Location);
        Assert.Equal("postgres", provider.Name);
    }

    [Fact]
    public async Task CheckHealth_Initialized_Succeeds()
    {
        await using var provider = Create(await NewDatabaseAsync());
        await provider.InitializeAsync(Ct).WithTimeout();

        await provider.CheckHealthAsync(Ct).WithTimeout();
    }

    private static PostgresStorageProvider Create(string connectionString) => new(
        new PostgresStorageOptions { ConnectionString = connectionString }, TimeProvider.System, NullLogger<PostgresStorageProvider>.Instance);

    /// <summary>A loopback port nothing listens on: bound once to learn a free number, then released.</summary>
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string?> ScalarAsync(PostgresTestStore target, string sql)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(Ct))?.ToString();
    }

    private async Task<string> NewDatabaseAsync() => await (await postgres.ServerAsync()).CreateDatabaseAsync(Ct);
}
