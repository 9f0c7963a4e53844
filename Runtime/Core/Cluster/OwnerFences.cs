using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>How state and reminder writes get their fence from the directory, and step down when the store refuses it.</summary>
internal static class OwnerFences
{
    /// <summary>
    /// The fence for a change of <paramref name="grainId"/>'s rows, taken at the moment of the write.
    /// </summary>
    /// <exception cref="StaleOwnerException">This silo does not hold the grain's partition now; nothing is written.</exception>
    public static OwnerFence For(IPartitionDirectory directory, GrainId grainId)
    {
        var partition = directory.PartitionOf(grainId);
        return directory.LocalEpoch(partition) is { } epoch
            ? new OwnerFence(partition, epoch)
            : throw new StaleOwnerException(null, partition, epoch: null);
    }

    /// <summary>
    /// The store refused a write as stale: re-read ownership, which makes the directory drop the partition (Changed
    /// with it in Lost), so the grain deactivates. Not awaited: the writer's caller gets the refusal at once.
    /// </summary>
    public static void StepDown(IPartitionDirectory directory)
        => _ = directory.RefreshAsync(CancellationToken.None).ContinueWith(
            static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
