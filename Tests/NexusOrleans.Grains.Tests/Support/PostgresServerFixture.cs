using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Testing.Postgres;

[assembly: AssemblyFixture(typeof(PostgresServerFixture))]

namespace NexusOrleans.Grains.Tests.Support;

/// <summary>
/// Owns the process-wide PostgreSQL server of this test assembly: started by the first test that needs it (from
/// NEXUS_TEST_POSTGRES, or a throwaway local server) and stopped once every test has run.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PostgresServer.DisposeSharedAsync();
}
