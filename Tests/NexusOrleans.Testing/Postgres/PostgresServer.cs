using Npgsql;

namespace NexusOrleans.Testing.Postgres;

/// <summary>
/// A PostgreSQL server for tests. When <see cref="EnvironmentVariable"/> holds an administrator connection string, that
/// server is used; otherwise a throwaway server is started from the local installation (see <see cref="LocalPostgresCluster"/>).
/// Tests get isolation from <see cref="CreateDatabaseAsync"/>: a fresh, uniquely named database each time.
/// </summary>
/// <remarks>
/// <see cref="GetSharedAsync"/> is the process-wide instance, started on first use and meant to be disposed by an
/// xunit assembly fixture (<see cref="DisposeSharedAsync"/>); it is also stopped when the process exits. A test that
/// must stop and restart the server uses its own instance from <see cref="StartLocalAsync"/>.
/// If PostgreSQL is not installed and the variable is not set, both throw: the tests fail, they never skip.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable that may hold an administrator connection string of an existing server.</summary>
    public const string EnvironmentVariable = "NEXUS_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(() => CreateAsync(useEnvironment: true, CancellationToken.None));

    private readonly LocalPostgresCluster? _cluster;
    private readonly List<string> _createdDatabases = [];
    private int _disposed;

    private PostgresServer(string adminConnectionString, LocalPostgresCluster? cluster)
    {
        AdminConnectionString = adminConnectionString;
        _cluster = cluster;
    }

    /// <summary>A connection string with administrator rights (it holds a password: do not print it).</summary>
    public string AdminConnectionString { get; }

    /// <summary>True for a server this process started (and can stop and restart).</summary>
    public bool IsLocal => _cluster is not null;

    /// <summary>The process-wide server, started on first call.</summary>
    public static Task<PostgresServer> GetSharedAsync() => Shared.Value;

    /// <summary>Stops the process-wide server if it was started.</summary>
    public static async Task DisposeSharedAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts a throwaway server owned by the caller, whatever <see cref="EnvironmentVariable"/> says.</summary>
    public static Task<PostgresServer> StartLocalAsync(CancellationToken cancellationToken = default) =>
        CreateAsync(useEnvironment: false, cancellationToken);

    /// <summary>Creates a fresh UTF-8 database with a unique name and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var name = $"nexus_test_{Guid.NewGuid():N}";
        await ExecuteAdminAsync(
            $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", cancellationToken)
            .ConfigureAwait(false);
        lock (_createdDatabases)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops a local server at once, as a crash would.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Local.StopAsync(cancellationToken);

    /// <summary>Starts a stopped local server again, on the same port and data.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => Local.StartAsync(cancellationToken);

    /// <summary>Stops and deletes a local server; drops the databases created on an external one.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_cluster is not null)
        {
            _cluster.Dispose();
            return;
        }

        string[] databases;
        lock (_createdDatabases)
        {
            databases = [.. _createdDatabases];
        }

        foreach (var database in databases)
        {
            await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private LocalPostgresCluster Local => _cluster
        ?? throw new InvalidOperationException($"This server comes from {EnvironmentVariable}; only a server started by StartLocalAsync can be stopped and started.");

    private static async Task<PostgresServer> CreateAsync(bool useEnvironment, CancellationToken cancellationToken)
    {
        if (useEnvironment && Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            return new PostgresServer(external, cluster: null);
        }

        var cluster = await LocalPostgresCluster.CreateAsync(cancellationToken).ConfigureAwait(false);
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = cluster.Port,
            Username = LocalPostgresCluster.AdminUser,
            Password = cluster.Password,
            Database = "postgres",
        };
        return new PostgresServer(admin.ConnectionString, cluster);
    }

    private async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
