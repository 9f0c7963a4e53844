using Npgsql;
using NexusOrleans.Testing;
using NexusOrleans.Testing.Cluster;

namespace NexusOrleans.Silo.Tests.Cluster;

/// <summary>
/// Silos sharing one fresh PostgreSQL database, with the short timings the cluster tests use, and the lease table read
/// the way an operator would: which silo serves how many partitions right now.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const int PartitionCount = 32;

    // Short timings, so a failover takes about two seconds; the subscription renewal bounds how long a gateway whose
    // inbox subscription died with a silo goes without pushes (the inbox keeps observers in memory only).
    private static readonly string[] Timings =
    [
        "--Cluster:HeartbeatPeriod=00:00:00.200",
        "--Cluster:LeaseDuration=00:00:01",
        "--Cluster:DeadAfter=00:00:01.500",
        "--Cluster:HandoffTimeout=00:00:03",
        $"--Cluster:PartitionCount={PartitionCount}",
        "--Cluster:CallTimeout=00:00:05",
        "--Cluster:ConnectTimeout=00:00:01",
        "--Gateway:SubscriptionRenewal=00:00:01",
        "--Grains:ShutdownTimeout=00:00:05",
    ];

    // A poll of the database is a query; pace it so two shared cores stay free for the silos.
    private static readonly TimeSpan PollPace = TimeSpan.FromMilliseconds(100);

    // What a gateway process needs to follow the same cluster as quickly as the silos do.
    private static readonly string[] GatewayTimings =
    [
        "--Cluster:HeartbeatPeriod=00:00:00.200",
        $"--Cluster:PartitionCount={PartitionCount}",
        "--Cluster:CallTimeout=00:00:05",
        "--Cluster:ConnectTimeout=00:00:01",
        "--Gateway:SubscriptionCheckPeriod=00:00:00.200",
        "--Gateway:SubscriptionRenewal=00:00:01",
    ];

    private readonly List<ClusterProcess> _silos = [];
    private readonly List<ClusterProcess> _gateways = [];

    public TestCluster(string connectionString)
    {
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public IReadOnlyList<ClusterProcess> Silos => _silos;

    /// <summary>The gateway processes: phones connect to them, and they own nothing.</summary>
    public IReadOnlyList<ClusterProcess> Gateways => _gateways;

    /// <summary>
    /// Starts <paramref name="silos"/> silos, waits until each is ready and every partition is served, then starts
    /// <paramref name="gateways"/> gateway processes and waits until they are ready.
    /// </summary>
    public async Task StartAsync(int silos, int gateways = 0)
    {
        var started = Enumerable.Range(0, silos).Select(_ => AddSilo()).ToArray();
        await Task.WhenAll(started.Select(silo => silo.WaitUntilReadyAsync()));
        await WaitUntilAsync(async () => (await PartitionsBySiloAsync()).Values.Sum() == PartitionCount
                                         && started.All(silo => silo.HasExited is false),
            "every partition is served");
        var edge = Enumerable.Range(0, gateways).Select(_ => AddGateway()).ToArray();
        await Task.WhenAll(edge.Select(gateway => gateway.WaitUntilReadyAsync()));
    }

    /// <summary>Starts one more gateway process (not waiting for it).</summary>
    public ClusterProcess AddGateway()
    {
        var gateway = ClusterProcess.StartGateway($"Gateway {_gateways.Count + 1}",
        [
            $"--Storage:Postgres:ConnectionString={ConnectionString}",
            .. GatewayTimings,
        ]);
        _gateways.Add(gateway);
        return gateway;
    }

    /// <summary>Starts one more silo (not waiting for it).</summary>
    public ClusterProcess AddSilo()
    {
        var silo = ClusterProcess.StartSilo($"Silo {_silos.Count + 1}",
        [
            "--Storage:Provider=postgres",
            $"--Storage:Postgres:ConnectionString={ConnectionString}",
            "--Cluster:Enabled=true",
            .. Timings,
        ]);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Partitions under a lease that has not expired, by the owner's cluster port; silos owning none are absent.</summary>
    public Task<Dictionary<int, int>> PartitionsBySiloAsync() => LeaseTable.PartitionsBySiloAsync(ConnectionString);

    /// <summary>The cluster port of the silo whose live lease covers the inbox of <paramref name="identity"/>, if any.</summary>
    public async Task<int?> InboxOwnerAsync(string identity) =>
        (await LeaseTable.InboxOwnersAsync(ConnectionString, PartitionCount)).TryGetValue(identity, out var port) ? port : null;

    /// <summary>Polls <paramref name="condition"/> every <see cref="PollPace"/> until it holds.</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, string description, TimeSpan? patience = null) =>
        Poll.UntilAsync(async () =>
        {
            await Task.Delay(PollPace);
            try
            {
                return await condition();
            }
            catch (NpgsqlException)
            {
                // The database may be restarting; the condition simply does not hold yet.
                return false;
            }
        }, description, patience ?? TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _gateways.Concat(_silos))
        {
            await process.DisposeAsync();
        }
    }
}
