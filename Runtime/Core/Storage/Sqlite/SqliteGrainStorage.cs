using Microsoft.Data.Sqlite;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>State rows in SQLite: reads on pooled read connections, changes through the group-commit batcher.</summary>
internal sealed class SqliteGrainStorage(ProviderLifecycle lifecycle, SqliteDatabase database, GroupCommitBatcher batcher)
    : BatchedGrainStorage(lifecycle, batcher)
{
    protected override async Task<GrainStateRecord?> ReadRowAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var command = SqliteParameters.Command(connection, SqliteSql.StateRead)
                .SetGrain(grainId)
                .Set("@state_name", stateName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var payload = reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0);
            return new GrainStateRecord(payload, StorageETag.Format(reader.GetInt64(1)));
        }
        catch (SqliteException exception) when (database.Translate(exception) is StorageUnavailableException unavailable)
        {
            throw unavailable;
        }
    }
}
