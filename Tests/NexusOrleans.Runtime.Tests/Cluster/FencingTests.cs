using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>
/// The database refuses writes from a silo that lost its partition, however stale its own beliefs: a paused silo (its
/// heartbeats stopped, nothing else) is taken over, then tries to write under its old epoch.
/// </summary>
public sealed class FencingTests
{
    [Fact]
    public async Task StateWrite_StaleEpochAfterTakeover_RefusedAndTheNewOwnersRowKept()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var (paused, successor, grain, partition, oldEpoch) = await TakenOverAsync(cluster);
        var current = await successor.Storage.GrainStorage.ReadAsync(grain, "state", Ct).WithTimeout();
        var newEpoch = successor.Directory.LocalEpoch(partition)!.Value;
        var written = await successor.Storage.GrainStorage
            .WriteAsync(new GrainStateWrite(grain, "state", Bytes("successor"), current!.ETag, new OwnerFence(partition, newEpoch)), Ct).WithTimeout();

        var error = await Assert.ThrowsAsync<StaleOwnerException>(() => paused.Storage.GrainStorage
            .WriteAsync(new GrainStateWrite(grain, "state", Bytes("stale"), written, new OwnerFence(partition, oldEpoch)), Ct).WithTimeout());

        Assert.Equal((partition, oldEpoch), (error.Partition, error.Epoch));
        Assert.Contains($"no longer owns partition {partition} (epoch {oldEpoch}); the write was refused", error.Message, StringComparison.Ordinal);
        var stored = await successor.Storage.GrainStorage.ReadAsync(grain, "state", Ct).WithTimeout();
        Assert.Equal(("successor", written), (System.Text.Encoding.UTF8.GetString(stored!.Payload!), stored.ETag));
        Assert.Equal(newEpoch, await cluster.ScalarAsync("SELECT owner_epoch FROM nexus_grain_state WHERE grain_key = $1", grain.Key));
    }

    [Fact]
    public async Task StateWrite_RefusedAsStale_SiloStepsDownWhenItRefreshes()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var (paused, _, grain, partition, oldEpoch) = await TakenOverAsync(cluster);
        await Assert.ThrowsAsync<StaleOwnerException>(() => paused.Storage.GrainStorage
            .WriteAsync(new GrainStateWrite(grain, "state", Bytes("stale"), null, new OwnerFence(partition, oldEpoch)), Ct).WithTimeout());

        await paused.Directory.RefreshAsync(Ct).WithTimeout();

        Assert.Contains(partition, paused.Lost);
        Assert.Null(paused.Directory.LocalEpoch(partition));
        Assert.False(paused.Directory.Lookup(grain).IsLocal);
    }

    [Fact]
    public async Task ReminderUpsert_StaleEpochAfterTakeover_Refused()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var (paused, successor, grain, partition, oldEpoch) = await TakenOverAsync(cluster);
        var entry = new ReminderEntry(grain, "tick", DateTimeOffset.UnixEpoch.AddYears(60), TimeSpan.FromMinutes(1), null, null);

        await Assert.ThrowsAsync<StaleOwnerException>(() => paused.Storage.Reminders.UpsertAsync(entry, new OwnerFence(partition, oldEpoch), Ct).WithTimeout());

        Assert.Null(await successor.Storage.Reminders.ReadAsync(grain, "tick", Ct).WithTimeout());
    }

    [Fact]
    public async Task ReminderTick_StaleEpochAfterTakeover_RefusedAndNotRecorded()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var (paused, successor, grain, partition, oldEpoch) = await TakenOverAsync(cluster);
        var stored = await successor.Storage.Reminders.ReadAsync(grain, "seeded", Ct).WithTimeout();

        await Assert.ThrowsAsync<StaleOwnerException>(() => paused.Storage.Reminders
            .RecordTickAsync(grain, "seeded", stored!.ETag!, stored.StartAt, new OwnerFence(partition, oldEpoch), Ct).WithTimeout());

        Assert.Null((await successor.Storage.Reminders.ReadAsync(grain, "seeded", Ct).WithTimeout())!.LastTickDue);
    }

    [Fact]
    public async Task StateWrite_CurrentEpoch_RecordsItAsTheRowsOwnerEpoch()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var node = await cluster.StartAsync();
        await node.Directory.LeaveAsync(Ct).WithTimeout();
        var owner = await cluster.StartAsync();
        var grain = NewGrain();
        var partition = owner.Directory.PartitionOf(grain);

        await owner.Storage.GrainStorage
            .WriteAsync(new GrainStateWrite(grain, "state", Bytes("v1"), null, new OwnerFence(partition, owner.Directory.LocalEpoch(partition)!.Value)), Ct)
            .WithTimeout();

        Assert.Equal(2L, await cluster.ScalarAsync("SELECT owner_epoch FROM nexus_grain_state WHERE grain_key = $1", grain.Key));
    }

    [Fact]
    public async Task StateWrite_SingleSiloEpochOnARowWrittenInTheCluster_Refused()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var owner = await cluster.StartAsync();
        var grain = NewGrain();
        var partition = owner.Directory.PartitionOf(grain);
        var written = await owner.Storage.GrainStorage
            .WriteAsync(new GrainStateWrite(grain, "state", Bytes("cluster"), null, new OwnerFence(partition, owner.Directory.LocalEpoch(partition)!.Value)), Ct)
            .WithTimeout();

        await Assert.ThrowsAsync<StaleOwnerException>(() => owner.Storage.GrainStorage
            .WriteAsync(new GrainStateWrite(grain, "state", Bytes("unfenced"), written, OwnerFence.None), Ct).WithTimeout());
    }

    /// <summary>
    /// One silo owns everything and writes a state row and a reminder of a grain; it is paused; a second silo joins and
    /// takes the grain's partition over once the paused silo's lease expired.
    /// </summary>
    private static async Task<(ClusterNode Paused, ClusterNode Successor, GrainId Grain, int Partition, long OldEpoch)> TakenOverAsync(ClusterHarness cluster)
    {
        var paused = await cluster.StartAsync();
        var grain = NewGrain();
        var partition = paused.Directory.PartitionOf(grain);
        var oldEpoch = paused.Directory.LocalEpoch(partition)!.Value;
        var fence = new OwnerFence(partition, oldEpoch);
        await paused.Storage.GrainStorage.WriteAsync(new GrainStateWrite(grain, "state", Bytes("paused"), null, fence), Ct).WithTimeout();
        await paused.Storage.Reminders.UpsertAsync(
            new ReminderEntry(grain, "seeded", DateTimeOffset.UnixEpoch.AddYears(60), TimeSpan.FromMinutes(1), null, null), fence, Ct).WithTimeout();

        paused.Directory.PauseHeartbeats();
        var successor = await cluster.StartAsync();
        await Poll.UntilAsync(() => successor.Directory.LocalEpoch(partition) > oldEpoch, "the successor holds the partition at a higher epoch");
        return (paused, successor, grain, partition, oldEpoch);
    }
}
