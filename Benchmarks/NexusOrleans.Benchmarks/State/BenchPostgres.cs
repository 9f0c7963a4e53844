using Npgsql;
using NexusOrleans.Testing.Postgres;

namespace NexusOrleans.Benchmarks.State;

/// <summary>
/// The PostgreSQL server the <c>state</c> suite writes to: the one named by <see cref="EnvironmentVariable"/>, or else a
/// throwaway server on a free 127.0.0.1 port (fsync and synchronous_commit on), stopped and deleted afterwards.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    /// <summary>An Npgsql connection string of a database the benchmark may create its tables in.</summary>
    public const string EnvironmentVariable = "NEXUS_BENCH_POSTGRES";

    private readonly PostgresServer? _server;

    private BenchPostgres(string connectionString, PostgresServer? server)
    {
        ConnectionString = connectionString;
        _server = server;
    }

    /// <summary>Where the grain state goes (holds a password: never printed).</summary>
    public string ConnectionString { get; }

    /// <summary>"throwaway server" or "NEXUS_BENCH_POSTGRES".</summary>
    public string Origin => _server is null ? EnvironmentVariable : "throwaway server on 127.0.0.1";

    /// <summary>Uses <see cref="EnvironmentVariable"/> when set, otherwise starts a throwaway server.</summary>
    public static async Task<BenchPostgres> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            return new BenchPostgres(external, server: null);
        }

        var server = await PostgresServer.StartLocalAsync();
        return new BenchPostgres(await server.CreateDatabaseAsync(), server);
    }

    /// <summary>The server's version and durability settings, for the summary.</summary>
    public async Task<string> DescribeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var settings = new List<string>();
        foreach (var setting in new[] { "server_version", "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes" })
        {
            await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
            settings.Add($"{setting}={await command.ExecuteScalarAsync()}");
        }

        return string.Join(", ", settings);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
