namespace NexusOrleans.Runtime.Storage.Batching;

/// <summary>
/// State rows of a SQL store: every call is validated and refused unless the provider is ready; changes go through the
/// group-commit batcher; each store says only how to read a row.
/// </summary>
internal abstract class BatchedGrainStorage(ProviderLifecycle lifecycle, GroupCommitBatcher batcher) : IGrainStorage
{
    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(stateName, "state name", nameof(stateName));
        lifecycle.ThrowIfNotReady();
        return ReadRowAsync(grainId, stateName, cancellationToken);
    }

    public Task<string> WriteAsync(GrainStateWrite write, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateWrite(write);
        lifecycle.ThrowIfNotReady();
        return batcher.SubmitAsync(new StateWriteOperation(write), cancellationToken);
    }

    public Task<string?> ClearAsync(GrainStateClear clear, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateClear(clear);
        lifecycle.ThrowIfNotReady();
        return batcher.SubmitAsync(new StateClearOperation(clear), cancellationToken);
    }

    /// <summary>Reads the row (payload or null for a tombstone, and version), or null when there is none. Arguments are valid.</summary>
    protected abstract Task<GrainStateRecord?> ReadRowAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);
}
