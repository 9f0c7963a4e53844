using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>State rows in PostgreSQL: reads on pooled connections, changes through the group-commit batcher.</summary>
internal sealed class PostgresGrainStorage(ProviderLifecycle lifecycle, PostgresReader reader, GroupCommitBatcher batcher) : IGrainStorage
{
    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(stateName, "state name", nameof(stateName));
        lifecycle.ThrowIfNotReady();
        return reader.QueryAsync<GrainStateRecord?>(
            PostgresSql.StateRead,
            () => PostgresParameters.Grain(grainId, stateName),
            static async (row, cancellationToken) =>
            {
                if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var payload = row.IsDBNull(0) ? null : row.GetFieldValue<byte[]>(0);
                return new GrainStateRecord(payload, StorageETag.Format(row.GetInt64(1)));
            },
            cancellationToken);
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
}
