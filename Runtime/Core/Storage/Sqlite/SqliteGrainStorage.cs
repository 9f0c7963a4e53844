using Microsoft.Data.Sqlite;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>State rows in SQLite: reads on pooled read connections, changes through the group-commit batcher.</summary>
internal sealed class SqliteGrainStorage(ProviderLifecycle lifecycle, SqliteDatabase database, GroupCommitBatcher batcher) : IGrainStorage
{
    public async Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(stateName, "state name", nameof(stateName));
        lifecycle.ThrowIfNotReady();
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
