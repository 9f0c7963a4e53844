using NexusOrleans.Runtime.Tests.Storage;
using NexusOrleans.Testing.Postgres;
using Xunit;

[assembly: AssemblyFixture(typeof(PostgresServerFixture))]

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>
/// Owns the process-wide PostgreSQL server for the test assembly: it is started lazily by the first test that needs
/// it (so tests that do not use PostgreSQL never wait for it) and stopped once every test has run.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public Task<PostgresServer> ServerAsync() => PostgresServer.GetSharedAsync();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PostgresServer.DisposeSharedAsync();
}

/// <summary>One fresh database per test class, on the shared server.</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The database fixture has not been initialized.");

    public async ValueTask InitializeAsync()
    {
        var server = await PostgresServer.GetSharedAsync();
        _connectionString = await server.CreateDatabaseAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A server of the test class's own, so that tests may stop and restart it.</summary>
public sealed class OwnPostgresServerFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server fixture has not been initialized.");

    public async ValueTask InitializeAsync() => _server = await PostgresServer.StartLocalAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
