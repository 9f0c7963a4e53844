using Npgsql;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>Reminder rows in PostgreSQL: reads on pooled connections, changes through the group-commit batcher.</summary>
internal sealed class PostgresReminderTable(ProviderLifecycle lifecycle, PostgresReader reader, GroupCommitBatcher batcher)
    : BatchedReminderTable(lifecycle, batcher)
{
    protected override Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId? grainId, string? reminderName, CancellationToken cancellationToken)
        => (grainId, reminderName) switch
        {
            (null, _) => reader.QueryAsync(PostgresSql.ReminderReadAll, static () => [], ReadEntriesAsync, cancellationToken),
            ({ } grain, null) => reader.QueryAsync(
                PostgresSql.ReminderReadGrain,
                () => [PostgresParameters.Text(grain.Type.Name), PostgresParameters.Text(grain.Key)],
                ReadEntriesAsync,
                cancellationToken),
            ({ } grain, { } name) => reader.QueryAsync(
                PostgresSql.ReminderReadOne, () => PostgresParameters.Grain(grain, name), ReadEntriesAsync, cancellationToken),
        };

    /// <summary>Selects the partitions' rows in SQL, through the index the cluster creates for its partition count.</summary>
    protected override Task<IReadOnlyList<ReminderEntry>> ReadPartitionRowsAsync(
        IReadOnlyCollection<int> partitions, int partitionCount, CancellationToken cancellationToken)
        => reader.QueryAsync(
            PostgresSql.ReminderReadPartitions(partitionCount),
            () => [PostgresParameters.IntegerArray(partitions)],
            ReadEntriesAsync,
            cancellationToken);

    /// <summary>Maps rows of (grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version).</summary>
    private static async Task<IReadOnlyList<ReminderEntry>> ReadEntriesAsync(NpgsqlDataReader row, CancellationToken cancellationToken)
    {
        var entries = new List<ReminderEntry>();
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new ReminderEntry(
                new GrainId(GrainType.Create(row.GetString(0)), row.GetString(1)),
                row.GetString(2),
                row.GetFieldValue<DateTimeOffset>(3),
                StorageTime.FromMilliseconds(row.GetInt64(4)),
                row.IsDBNull(5) ? null : row.GetFieldValue<DateTimeOffset>(5),
                StorageETag.Format(row.GetInt64(6))));
        }

        return entries;
    }
}
