namespace NexusOrleans.Grains.Epochs;

/// <summary>
/// Told by the epoch scheduler about each epoch it closed, before it records the epoch as closed: a listener that throws
/// makes the scheduler try the same epoch again on its next tick, so a listener must be idempotent. Anchoring is one.
/// </summary>
public interface IEpochClosedListener
{
    /// <summary>The epoch with key <paramref name="epoch"/> is closed and its batch stored.</summary>
    Task EpochClosedAsync(string epoch, EpochBatch batch);
}
