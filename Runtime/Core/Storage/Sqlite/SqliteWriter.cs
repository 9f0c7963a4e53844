using Microsoft.Data.Sqlite;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>
/// The one connection that writes to the SQLite file. Only the group-commit batcher's consumer calls
/// <see cref="CommitAsync"/>, so the connection is never used by two threads at once.
/// </summary>
/// <remarks>
/// Each batch runs as BEGIN IMMEDIATE … COMMIT: the write lock is taken up front, so the compare-and-swap checks inside
/// see exactly what they change, and another process holding the lock makes the batch wait (busy timeout) instead of
/// failing halfway. With synchronous=FULL the COMMIT returns only once the write-ahead log is synced.
/// </remarks>
internal sealed class SqliteWriter(SqliteDatabase database, TimeProvider timeProvider) : IBatchCommitter, IDisposable
{
    private SqliteConnection? _connection;
    private SqliteWriterCommands? _commands;

    public SqliteConnection Connection => _connection ?? throw new InvalidOperationException("The SQLite writer connection is not open.");

    public void Open()
    {
        _connection ??= database.OpenWriter();
    }

    /// <summary>Prepares the write statements; call after the schema is in place.</summary>
    public void PrepareCommands()
    {
        _commands ??= new SqliteWriterCommands(Connection);
    }

    public Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken)
    {
        var commands = _commands ?? throw new InvalidOperationException("The SQLite writer has not been prepared.");
        SqliteTransaction? transaction = null;
        try
        {
            transaction = Connection.BeginTransaction(deferred: false);
            commands.Enlist(transaction);
            var now = StorageTime.ToUnixMilliseconds(timeProvider.GetUtcNow());
            foreach (var operation in batch)
            {
                Apply(commands, operation, now);
            }

            transaction.Commit();
            transaction.Dispose();
            return Task.CompletedTask;
        }
        catch (Exception exception)
        {
            AbandonQuietly(transaction);
            var translated = database.Translate(exception);
            if (ReferenceEquals(translated, exception))
            {
                throw;
            }

            throw translated;
        }
    }

    public void Dispose()
    {
        _commands?.Dispose();
        _connection?.Dispose();
        _commands = null;
        _connection = null;
    }

    private static void Apply(SqliteWriterCommands commands, StorageOperation operation, long now)
    {
        switch (operation)
        {
            case StateWriteOperation write:
                var written = write.ExpectedVersion is { } expected
                    ? commands.UpdateState(write.GrainId, write.StateName, expected, write.Payload, now)
                    : commands.InsertState(write.GrainId, write.StateName, write.Payload, now);
                if (written is { } newVersion)
                {
                    write.StageResult(StorageETag.Format(newVersion));
                }
                else
                {
                    write.StageConflict(commands.StateVersion(write.GrainId, write.StateName));
                }

                break;

            case StateClearOperation { ExpectedVersion: null } clear:
                // Nothing to clear when no row exists; any row, even a tombstone, means the caller's view is stale.
                if (commands.StateVersion(clear.GrainId, clear.StateName) is { } stored)
                {
                    clear.StageConflict(stored);
                }
                else
                {
                    clear.StageResult(null);
                }

                break;

            case StateClearOperation { ExpectedVersion: { } expectedVersion } clear:
                if (commands.UpdateState(clear.GrainId, clear.StateName, expectedVersion, payload: null, now) is { } tombstone)
                {
                    clear.StageResult(StorageETag.Format(tombstone));
                }
                else
                {
                    clear.StageConflict(commands.StateVersion(clear.GrainId, clear.StateName));
                }

                break;

            case ReminderUpsertOperation upsert:
                upsert.StageResult(StorageETag.Format(commands.UpsertReminder(upsert, now)));
                break;

            case ReminderRemoveOperation remove:
                remove.StageResult(commands.RemoveReminder(remove.GrainId, remove.Name));
                break;

            case ReminderTickOperation tick:
                tick.StageResult(commands.RecordTick(tick, now));
                break;

            default:
                throw new InvalidOperationException($"The SQLite writer cannot apply {operation.GetType().Name}.");
        }
    }

    private static void AbandonQuietly(SqliteTransaction? transaction)
    {
        if (transaction is null)
        {
            return;
        }

        try
        {
            transaction.Dispose();
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled the transaction back itself (after an I/O error or a full disk); the
            // original failure is the one worth reporting.
        }
    }
}
