namespace NexusOrleans.Runtime.Storage.Batching;

/// <summary>Applies queued changes to one database. Implemented once per SQL provider.</summary>
internal interface IBatchCommitter
{
    /// <summary>
    /// Applies <paramref name="batch"/> in order inside ONE transaction, staging each operation's own outcome
    /// (a refused compare-and-swap is an outcome, not a failure), and returns once the transaction is durably committed.
    /// Throws when the transaction as a whole failed; nothing was committed then.
    /// </summary>
    Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken);
}
