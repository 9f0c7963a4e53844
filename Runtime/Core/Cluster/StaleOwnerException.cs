namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// A change of a grain's state or reminders was refused because the writing silo no longer owns the grain's partition
/// under the epoch it wrote with: another silo took the partition over, or this silo let it go. Nothing was written.
/// The silo drops the partition and the grain deactivates; a retry reaches the partition's new owner.
/// </summary>
public sealed class StaleOwnerException : Exception
{
    /// <summary>Creates the exception for a refusal of partition <paramref name="partition"/> at <paramref name="epoch"/>.</summary>
    /// <param name="silo">The writer, when known (the store knows only the epoch).</param>
    /// <param name="partition">The grain's partition.</param>
    /// <param name="epoch">The epoch the write carried, or null when the silo held no lease for the partition at all.</param>
    public StaleOwnerException(string? silo, int partition, long? epoch)
        : base(epoch is { } e
            ? $"Silo {silo ?? "(this one)"} no longer owns partition {partition} (epoch {e}); the write was refused."
            : $"Silo {silo ?? "(this one)"} does not own partition {partition}; the write was refused before it reached the store.")
    {
        Silo = silo;
        Partition = partition;
        Epoch = epoch;
    }

    /// <summary>The writer, when known.</summary>
    public string? Silo { get; }

    /// <summary>The grain's partition.</summary>
    public int Partition { get; }

    /// <summary>The epoch the refused write carried; null when there was none.</summary>
    public long? Epoch { get; }
}
