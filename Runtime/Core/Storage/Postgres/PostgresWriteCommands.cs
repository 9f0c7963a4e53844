using Npgsql;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>
/// Turns each queued change into one batch statement and reads back its single result row. Every write statement
/// returns exactly one row (see the .sql files), so results line up with operations one to one.
/// </summary>
internal static class PostgresWriteCommands
{
    public static NpgsqlBatchCommand For(StorageOperation operation, DateTimeOffset now) => operation switch
    {
        StateWriteOperation { ExpectedVersion: null } write => Command(PostgresSql.StateInsert,
            [.. PostgresParameters.Grain(write.GrainId, write.StateName),
             PostgresParameters.Integer(write.GrainId.StableHash),
             PostgresParameters.Bigint(PostgresParameters.SingleSiloOwnerEpoch),
             PostgresParameters.Bytes(write.Payload),
             PostgresParameters.Time(now)]),
        StateWriteOperation { ExpectedVersion: { } expected } write => Command(PostgresSql.StateUpdate,
            [.. PostgresParameters.Grain(write.GrainId, write.StateName),
             PostgresParameters.Bigint(expected),
             PostgresParameters.Bytes(write.Payload),
             PostgresParameters.Time(now)]),
        StateClearOperation { ExpectedVersion: null } clear => Command(PostgresSql.StateProbe,
            PostgresParameters.Grain(clear.GrainId, clear.StateName)),
        StateClearOperation { ExpectedVersion: { } expected } clear => Command(PostgresSql.StateUpdate,
            [.. PostgresParameters.Grain(clear.GrainId, clear.StateName),
             PostgresParameters.Bigint(expected),
             PostgresParameters.Bytes(null),
             PostgresParameters.Time(now)]),
        ReminderUpsertOperation upsert => Command(PostgresSql.ReminderUpsert,
            [.. PostgresParameters.Grain(upsert.GrainId, upsert.Name),
             PostgresParameters.Integer(upsert.GrainId.StableHash),
             PostgresParameters.Bigint(PostgresParameters.SingleSiloOwnerEpoch),
             PostgresParameters.Time(upsert.StartAt),
             PostgresParameters.Bigint(upsert.PeriodMilliseconds),
             PostgresParameters.Time(upsert.LastTickDue),
             PostgresParameters.Time(now)]),
        ReminderRemoveOperation remove => Command(PostgresSql.ReminderRemove,
            PostgresParameters.Grain(remove.GrainId, remove.Name)),
        ReminderTickOperation tick => Command(PostgresSql.ReminderTick,
            [.. PostgresParameters.Grain(tick.GrainId, tick.Name),
             PostgresParameters.Bigint(tick.Version),
             PostgresParameters.Time(tick.TickDue),
             PostgresParameters.Time(now)]),
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
                else
                {
                    write.StageConflict(ReportedStoredVersion(row, write.ExpectedVersion));
                }

                break;

            case StateClearOperation { ExpectedVersion: null } clear:
                if (NullableInt64(row, 1) is { } stored)
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
                else
                {
                    clear.StageConflict(ReportedStoredVersion(row, clear.ExpectedVersion));
                }

                break;

            case ReminderUpsertOperation upsert:
                upsert.StageResult(StorageETag.Format(row.GetInt64(0)));
                break;

            case ReminderRemoveOperation remove:
                remove.StageResult(row.GetInt32(0) > 0);
                break;

            case ReminderTickOperation tick:
                tick.StageResult(row.GetInt32(0) == 1);
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
