using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Testing;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>A read-only view of a cluster on real PostgreSQL, as a gateway process holds one: it follows the silos and writes nothing.</summary>
public sealed class ClusterViewTests : IAsyncLifetime
{
    private const int Partitions = 32;
    private static readonly string[] Keys = [.. Enumerable.Range(0, 200).Select(i => $"view{i}")];
    private readonly LogCollector _logs = new();
    private ClusterHarness _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await ClusterHarness.CreateAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Lookup_TwoSilos_NamesTheSiloServingEachGrainAndAddsNoMember()
    {
        var first = await _cluster.StartAsync(Partitions);
        var second = await _cluster.StartAsync(Partitions);
        await _cluster.SettledAsync([first, second], Partitions);
        await using var view = await StartViewAsync(_cluster.Store.ConnectionString);

        await Poll.UntilAsync(() => Keys.All(key => view.Lookup(Grain(key)).Owner == ServerOf(Grain(key), first, second)), "the view names every grain's server");

        Assert.Contains(Keys, key => view.Lookup(Grain(key)).Owner == first.Directory.Self);
        Assert.Contains(Keys, key => view.Lookup(Grain(key)).Owner == second.Directory.Self);
        Assert.All(Keys, key => Assert.False(view.Lookup(Grain(key)).IsLocal));
        Assert.All(Enumerable.Range(0, Partitions), partition => Assert.Null(view.LocalEpoch(partition)));
        Assert.Equal(2L, await _cluster.ScalarAsync("SELECT count(*) FROM nexus_silos"));
        Assert.Equal(0L, await _cluster.ScalarAsync(
            "SELECT count(*) FROM nexus_partition_leases WHERE owner_silo IS NOT NULL AND owner_silo NOT IN ($1, $2)", first.Directory.SiloId, second.Directory.SiloId));
    }

    [Fact]
    public async Task Lookup_OwnerPausedAndTakenOver_FollowsToTheNewOwnerAtAHigherEpoch()
    {
        var first = await _cluster.StartAsync(Partitions);
        await using var view = await StartViewAsync(_cluster.Store.ConnectionString);
        await Poll.UntilAsync(() => Keys.All(key => view.Lookup(Grain(key)).Owner == first.Directory.Self), "the view names the only silo");
        var before = Keys.ToDictionary(key => key, key => view.Lookup(Grain(key)).Epoch);

        first.Directory.PauseHeartbeats();
        var second = await _cluster.StartAsync(Partitions);

        await Poll.UntilAsync(() => second.Directory.ServingPartitions().Count == Partitions, "the second silo takes every partition over");
        await Poll.UntilAsync(() => Keys.All(key => view.Lookup(Grain(key)) is var owner && owner.Owner == second.Directory.Self && owner.Epoch > before[key]),
            "the view names the silo that took every partition over, at its new epoch");
    }

    [Fact]
    public async Task Start_DatabaseUnreachable_StartsWithNoOwnersAndWarnsOnceWhileRetrying()
    {
        var closed = $"Host=127.0.0.1;Port={LoopbackPort.Free()};Database=none;Username=none;Password=none;Timeout=1";
        await using var view = await StartViewAsync(closed);
        await Poll.UntilAsync(() => Task.FromResult(view.ReadAttempts >= 4), "the view kept retrying");

        Assert.Null(view.Lookup(Grain("any")).Owner);
        Assert.Null(view.SinceLastRead);
        Assert.Single(_logs.Lines, line => line.EventId.Id == 2714 && line.Level == LogLevel.Warning);
    }

    private async Task<PostgresClusterView> StartViewAsync(string connectionString)
    {
        var view = PostgresClusterView.Create(
            connectionString, ClusterHarness.Options(port: 1, Partitions), TimeProvider.System, _logs.CreateLogger("NexusOrleans.Runtime.Cluster"));
        await view.StartAsync(Ct).WithTimeout();
        return view;
    }

    private static GrainId Grain(string key) => new(Catalog.GrainClass.NameOf(typeof(Grains.CounterGrain)), key);

    private static SiloAddress? ServerOf(GrainId grain, params ClusterNode[] nodes) =>
        nodes.FirstOrDefault(node => node.Directory.Lookup(grain).IsLocal)?.Directory.Self;
}
