using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Postgres;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>
/// The provider across a server outage, on a throwaway server of this class's own that the tests stop and restart.
/// </summary>
public sealed class PostgresRestartTests(OwnPostgresServerFixture own) : IClassFixture<OwnPostgresServerFixture>, IAsyncLifetime
{
    private PostgresStorageProvider? _provider;
    private string? _password;

    private PostgresStorageProvider Provider => _provider!;

    public async ValueTask InitializeAsync()
    {
        await own.Server.StartAsync(Ct).WithTimeout();
        var connectionString = await own.Server.CreateDatabaseAsync(Ct).WithTimeout();
        _password = new NpgsqlConnectionStringBuilder(connectionString).Password;
        _provider = new PostgresStorageProvider(
            new PostgresStorageOptions { ConnectionString = connectionString }, TimeProvider.System, NullLogger<PostgresStorageProvider>.Instance);
        await _provider.InitializeAsync(Ct).WithTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        // Leave the server running for the next test whatever this one did to it.
        await own.Server.StartAsync(CancellationToken.None);
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task Provider_AfterServerRestart_ServesReadsAndWritesAgain()
    {
        var grain = NewGrain();
        var eTag = await Provider.GrainStorage.WriteAsync(new GrainStateWrite(grain, "state", Bytes("before"), null), Ct).WithTimeout();
        await own.Server.StopAsync(Ct).WithTimeout();
        await own.Server.StartAsync(Ct).WithTimeout();

        var beforeRestart = await Provider.GrainStorage.ReadAsync(grain, "state", Ct).WithTimeout();
        var afterRestart = await Provider.GrainStorage.WriteAsync(new GrainStateWrite(grain, "state", Bytes("after"), eTag), Ct).WithTimeout();

        Assert.Equal(eTag, beforeRestart?.ETag);
        Assert.Equal(afterRestart, (await Provider.GrainStorage.ReadAsync(grain, "state", Ct).WithTimeout())?.ETag);
    }

    [Fact]
    public async Task Write_FirstCallAfterServerRestart_Succeeds()
    {
        var grain = NewGrain();
        var eTag = await Provider.GrainStorage.WriteAsync(new GrainStateWrite(grain, "state", Bytes("before"), null), Ct).WithTimeout();
        await own.Server.StopAsync(Ct).WithTimeout();
        await own.Server.StartAsync(Ct).WithTimeout();

        var afterRestart = await Provider.GrainStorage.WriteAsync(new GrainStateWrite(grain, "state", Bytes("after"), eTag), Ct).WithTimeout();

        Assert.Equal(afterRestart, (await Provider.GrainStorage.ReadAsync(grain, "state", Ct).WithTimeout())?.ETag);
    }

    [Fact]
    public async Task Write_WhileServerDown_FailsWithStorageUnavailableWithoutPassword()
    {
        await own.Server.StopAsync(Ct).WithTimeout();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(
            () => Provider.GrainStorage.WriteAsync(new GrainStateWrite(NewGrain(), "state", Bytes("lost"), null), Ct)).WithTimeout();

        Assert.StartsWith($"Storage 'postgres' at {Provider.Location} is unavailable: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_password!, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_WhileServerDown_ThrowsStorageUnavailable()
    {
        await own.Server.StopAsync(Ct).WithTimeout();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => Provider.CheckHealthAsync(Ct)).WithTimeout();

        Assert.Equal("postgres", error.StoreName);
        Assert.DoesNotContain(_password!, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_AfterServerRestart_Succeeds()
    {
        await Provider.CheckHealthAsync(Ct).WithTimeout();
        await own.Server.StopAsync(Ct).WithTimeout();
        await own.Server.StartAsync(Ct).WithTimeout();

        await Provider.CheckHealthAsync(Ct).WithTimeout();
    }
}
