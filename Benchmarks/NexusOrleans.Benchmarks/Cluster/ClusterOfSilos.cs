using System.Globalization;
using NexusOrleans.Benchmarks.Chat;
using NexusOrleans.Testing.Cluster;

namespace NexusOrleans.Benchmarks.Cluster;

/// <summary>
/// Silo processes (the Release build of <c>Silo/</c>, as <see cref="RelaySilo"/> starts one) forming one cluster on a fresh
/// PostgreSQL database, each with its own co-hosted gateway, on the shipped cluster settings (heartbeat 1 s, lease 5 s,
/// dead after 6 s, 256 partitions) and the raised rate limits of the chat suite.
/// </summary>
internal sealed class ClusterOfSilos : IAsyncDisposable
{
    private const int PartitionCount = 256;
    private readonly List<(ServerProcess Process, DirectoryInfo Directory, int HttpPort, int ClusterPort)> _silos = [];
    private readonly string _connectionString;

    private ClusterOfSilos(string connectionString) => _connectionString = connectionString;

    /// <summary>Where phones connect: every silo's gateway.</summary>
    public IReadOnlyList<Uri> Gateways => [.. _silos.Select(silo => new Uri($"ws://127.0.0.1:{silo.HttpPort}/v1/ws"))];

    /// <summary>The silos' process ids, in start order.</summary>
    public IReadOnlyList<int> Pids => [.. _silos.Select(silo => silo.Process.Pid)];

    /// <summary>The silos' cluster ports (their names in the lease table), in start order.</summary>
    public IReadOnlyList<int> ClusterPorts => [.. _silos.Select(silo => silo.ClusterPort)];

    /// <summary>Starts <paramref name="count"/> silos one after the other and waits until every partition is leased.</summary>
    public static async Task<ClusterOfSilos> StartAsync(string connectionString, int count)
    {
        var cluster = new ClusterOfSilos(connectionString);
        try
        {
            for (var i = 0; i < count; i++)
            {
                await cluster.AddSiloAsync();
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while ((await cluster.OwnersAsync()).Count != count || (await cluster.OwnersAsync()).Values.Sum() != PartitionCount)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The {count} silos did not share the {PartitionCount} partitions within a minute.");
                }

                await Task.Delay(200);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Partitions under a live lease, by the owner's cluster port.</summary>
    public Task<Dictionary<int, int>> OwnersAsync() => LeaseTable.PartitionsBySiloAsync(_connectionString);

    /// <summary>The cluster port of the silo serving each stored inbox, by the inbox key (the phone's identity).</summary>
    public Task<Dictionary<string, int>> InboxOwnersAsync() => LeaseTable.InboxOwnersAsync(_connectionString, PartitionCount);

    /// <summary>A crash: SIGKILL to silo <paramref name="index"/>, no chance to hand anything over.</summary>
    public void Kill(int index)
    {
        using var process = System.Diagnostics.Process.GetProcessById(_silos[index].Process.Pid);
        process.Kill();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.Process.DisposeAsync();
            silo.Directory.Delete(recursive: true);
        }
    }

    private async Task AddSiloAsync()
    {
        var directory = Directory.CreateTempSubdirectory("nexus-bench-cluster-");
        var httpPort = ServerProcess.FreePort();
        var clusterPort = ServerProcess.FreePort();
        string[] arguments =
        [
            RelaySilo.SiloAssembly,
            "--urls", $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}",
            "--Storage:Provider=postgres",
            $"--Storage:Postgres:ConnectionString={_connectionString}",
            "--Cluster:Enabled=true",
            "--Cluster:Host=127.0.0.1",
            $"--Cluster:Port={clusterPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Relay:GeneratedMnemonicFile={Path.Combine(directory.FullName, "relay-operator.mnemonic")}",
            "--Logging:LogLevel:Default=Warning",
            .. RelaySilo.RaisedLimits,
        ];
        try
        {
            var process = await ServerProcess.StartAsync(
                "dotnet", arguments, directory.FullName, new Uri($"http://127.0.0.1:{httpPort}/health/ready"), null, TimeSpan.FromSeconds(90));
            _silos.Add((process, directory, httpPort, clusterPort));
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }
}
