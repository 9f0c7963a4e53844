using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Testing;
using NexusOrleans.Testing.Postgres;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>
/// A fresh database on the shared test server and the cluster members started on it: each one a PostgreSQL storage
/// provider and a partition directory on the real clock (leases are judged by the database's real clock), with short
/// timings so failover happens within a second. Everything started is stopped on dispose.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DeadAfter = TimeSpan.FromMilliseconds(600);

    private readonly List<ClusterNode> _nodes = [];
    private int _nextPort = 20000;

    private ClusterHarness(PostgresTestStore store) => Store = store;

    public PostgresTestStore Store { get; }

    public static async Task<ClusterHarness> CreateAsync() => await CreateAsync(await PostgresServer.GetSharedAsync());

    /// <summary>A cluster on a fresh database of <paramref name="server"/> (a test that stops the server brings its own).</summary>
    public static async Task<ClusterHarness> CreateAsync(PostgresServer server) =>
        new(new PostgresTestStore(await server.CreateDatabaseAsync(Ct)));

    /// <summary>Options with the short test timings; every member gets its own port, hence its own address.</summary>
    public static ClusterOptions Options(int port, int partitions) => new()
    {
        Enabled = true,
        Host = "127.0.0.1",
        Port = port,
        PartitionCount = partitions,
        HeartbeatPeriod = Heartbeat,
        LeaseDuration = Lease,
        DeadAfter = DeadAfter,
        HandoffTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Starts a member and waits until it joined and took its first view.</summary>
    public async Task<ClusterNode> StartAsync(int partitions = 64, Action<ClusterOptions>? configure = null)
    {
        var options = Options(Interlocked.Increment(ref _nextPort), partitions);
        configure?.Invoke(options);
        var storage = Store.Create();
        await storage.InitializeAsync(Ct).WithTimeout();
        var directory = new PostgresPartitionDirectory(storage.DataSource, options, new SiloAddress(options.Host, options.Port, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()), TimeProvider.System, NullLogger.Instance);
        var node = new ClusterNode(storage, directory);
        _nodes.Add(node);
        await directory.JoinAsync(Ct).WithTimeout();
        return node;
    }

    /// <summary>Runs a scalar query on the cluster's database.</summary>
    public async Task<object?> ScalarAsync(string sql, params object[] parameters)
    {
        // Unpooled: a test may restart the server, and a pooled connection from before would fail once.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Store.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(Ct);
    }

    /// <summary>Waits until every partition is served by exactly the member rendezvous hashing assigns it to.</summary>
    public async Task SettledAsync(IReadOnlyList<ClusterNode> nodes, int partitions)
    {
        var expected = Rendezvous.Assign([.. nodes.OrderBy(node => node.Directory.SiloId).Select(node => node.Directory.Self)], partitions);
        var ordered = nodes.OrderBy(node => node.Directory.SiloId).ToList();
        await Poll.UntilAsync(
            () => Enumerable.Range(0, partitions).All(partition =>
                ordered.Select((node, index) => node.Directory.ServingPartitions().Contains(partition) == (expected[partition] == index)).All(ok => ok)),
            "every partition served by exactly its rendezvous owner");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Directory.DisposeAsync();
            await node.Storage.DisposeAsync();
        }
    }
}

/// <summary>One member: its storage, its directory, and every change of ownership it raised.</summary>
internal sealed class ClusterNode
{
    public ClusterNode(PostgresStorageProvider storage, PostgresPartitionDirectory directory)
    {
        Storage = storage;
        Directory = directory;
        directory.Changed += Changes.Enqueue;
    }

    public PostgresStorageProvider Storage { get; }

    public PostgresPartitionDirectory Directory { get; }

    public ConcurrentQueue<PartitionChange> Changes { get; } = new();

    public IEnumerable<int> Lost => Changes.SelectMany(change => change.Lost);
}
