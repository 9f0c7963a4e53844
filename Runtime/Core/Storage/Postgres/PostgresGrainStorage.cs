using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>State rows in PostgreSQL: reads on pooled connections, changes through the group-commit batcher.</summary>
internal sealed class PostgresGrainStorage(ProviderLifecycle lifecycle, PostgresReader reader, GroupCommitBatcher batcher)
    : BatchedGrainStorage(lifecycle, batcher)
{
    protected override Task<GrainStateRecord?> ReadRowAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
        => reader.QueryAsync<GrainStateRecord?>(
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
