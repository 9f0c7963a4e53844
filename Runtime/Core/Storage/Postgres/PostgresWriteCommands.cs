using Npgsql;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>
/// Turns each queued change into one batch statement and reads back its single result row. Every write statement
/// returns exactly one row (see the .sql files), so results line up with operations one to one. Every change carries
/// its owner fence (partition and epoch) as the statement's last two parameters, and every result row says whether the
/// fence held (<c>owned</c>); a change refused by the fence fails with <see cref="Cluster.StaleOwnerException"/>.
/// </summary>
internal static class PostgresWriteCommands
{
    public static NpgsqlBatchCommand For(StorageOperation operation, DateTimeOffset now) => operation switch
    {
        StateWriteOperation { ExpectedVersion: null } write => Command(PostgresSql.StateInsert,
            [.. PostgresParameters.Grain(write.GrainId, write.StateName),
             PostgresParameters.Integer(write.GrainId.StableHash),
             PostgresParameters.Bigint(write.Fence.Epoch),
             PostgresParameters.Bytes(write.Payload),
             PostgresParameters.Time(now),
             .. PostgresParameters.Fence(write.Fence)]),
        StateWriteOperation { ExpectedVersion: { } expected } write => Command(PostgresSql.StateUpdate,
            [.. PostgresParameters.Grain(write.GrainId, write.StateName),
             PostgresParameters.Bigint(expected),
             PostgresParameters.Bytes(write.Payload),
             PostgresParameters.Time(now),
             .. PostgresParameters.Fence(write.Fence)]),
        StateClearOperation { ExpectedVersion: null } clear => Command(PostgresSql.StateProbe,
            [.. PostgresParameters.Grain(clear.GrainId, clear.StateName), .. PostgresParameters.Fence(clear.Fence)]),
        StateClearOperation { ExpectedVersion: { } expected } clear => Command(PostgresSql.StateUpdate,
            [.. PostgresParameters.Grain(clear.GrainId, clear.StateName),
             PostgresParameters.Bigint(expected),
             PostgresParameters.Bytes(null),
             PostgresParameters.Time(now),
             .. PostgresParameters.Fence(clear.Fence)]),
        ReminderUpsertOperation upsert => Command(PostgresSql.ReminderUpsert,
            [.. PostgresParameters.Grain(upsert.GrainId, upsert.Name),
             PostgresParameters.Integer(upsert.GrainId.StableHash),
             PostgresParameters.Bigint(upsert.Fence.Epoch),
             PostgresParameters.Time(upsert.StartAt),
             PostgresParameters.Bigint(upsert.PeriodMilliseconds),
             PostgresParameters.Time(upsert.LastTickDue),
             PostgresParameters.Time(now),
             .. PostgresParameters.Fence(upsert.Fence)]),
        ReminderRemoveOperation remove => Command(PostgresSql.ReminderRemove,
            [.. PostgresParameters.Grain(remove.GrainId, remove.Name), .. PostgresParameters.Fence(remove.Fence)]),
        ReminderTickOperation tick => Command(PostgresSql.ReminderTick,
            [.. PostgresParameters.Grain(tick.GrainId, tick.Name),
             PostgresParameters.Bigint(tick.Version),
             PostgresParameters.Time(tick.TickDue),
             PostgresParameters.Time(now),
             .. PostgresParameters.Fence(tick.Fence)]),
        _ => throw new InvalidOperationException($"The PostgreSQL writer cannot apply {operation.GetType().Name}."),
    };

    /// <summary>Stages the outcome of <paramref name="operation"/> from its statement's result row.</summary>
    public static void Stage(StorageOperation operation, NpgsqlDataReader row)
    {
        switch (operation)
        {
            case StateWriteOperation write:
                if (NullableInt64(row, 0) is { } written)
                {
                    write.StageResult(StorageETag.Format(written));
                }
                else if (!row.GetBoolean(2))
                {
                    write.StageStale(write.Fence);
                }
                else
                {
                    write.StageConflict(ReportedStoredVersion(row, write.ExpectedVersion));
                }

                break;

            case StateClearOperation { ExpectedVersion: null } clear:
                if (!row.GetBoolean(2))
                {
                    clear.StageStale(clear.Fence);
                }
                else if (NullableInt64(row, 1) is { } stored)
                {
                    clear.StageConflict(stored);
                }
                else
                {
                    clear.StageResult(null);
                }

                break;

            case StateClearOperation clear:
                if (NullableInt64(row, 0) is { } tombstone)
                {
                    clear.StageResult(StorageETag.Format(tombstone));
                }
                else if (!row.GetBoolean(2))
                {
                    clear.StageStale(clear.Fence);
                }
                else
                {
                    clear.StageConflict(ReportedStoredVersion(row, clear.ExpectedVersion));
                }

                break;

            case ReminderUpsertOperation upsert:
                if (NullableInt64(row, 0) is { } version)
                {
                    upsert.StageResult(StorageETag.Format(version));
                }
                else
                {
                    upsert.StageStale(upsert.Fence);
                }

                break;

            case ReminderRemoveOperation remove:
                if (row.GetBoolean(1))
                {
                    remove.StageResult(row.GetInt32(0) > 0);
                }
                else
                {
                    remove.StageStale(remove.Fence);
                }

                break;

            case ReminderTickOperation tick:
                if (row.GetBoolean(1))
                {
                    tick.StageResult(row.GetInt32(0) == 1);
                }
                else
                {
                    tick.StageStale(tick.Fence);
                }

                break;

            default:
                throw new InvalidOperationException($"The PostgreSQL writer cannot read the outcome of {operation.GetType().Name}.");
        }
    }

    private static NpgsqlBatchCommand Command(string sql, NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static long? NullableInt64(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetInt64(ordinal);

    /// <summary>
    /// The stored version to report with a conflict. The statement's snapshot predates a change it had to wait for; if
    /// the snapshot still shows the expected version, the real stored version is unknown, and unknown is reported.
    /// </summary>
    private static long? ReportedStoredVersion(NpgsqlDataReader row, long? expectedVersion) =>
        NullableInt64(row, 1) is { } stored && stored != expectedVersion ? stored : null;
}
