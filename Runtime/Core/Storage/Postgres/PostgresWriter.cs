using Npgsql;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>
/// Commits a batch of changes as one <see cref="NpgsqlBatch"/> inside one transaction.
/// </summary>
/// <remarks>
/// The batch and the BEGIN that Npgsql prepends go to the server in one round trip; COMMIT is a second one, and with
/// synchronous_commit on (the server default) it returns only after the WAL is flushed, which is when the batcher
/// publishes the outcomes. Each statement returns one row that decides its own operation's outcome, so a refused
/// compare-and-swap does not abort the transaction. A statement error does abort it; the batcher then re-runs each
/// operation alone. When the failure is about the connection, idle pooled connections are discarded first, so after a
/// server restart the re-runs use fresh connections instead of stale ones.
/// </remarks>
internal sealed class PostgresWriter(NpgsqlDataSource dataSource, PostgresEndpoint endpoint, TimeProvider timeProvider) : IBatchCommitter
{
    public async Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var commands = new NpgsqlBatch(connection, transaction);
            var now = StorageTime.Truncate(timeProvider.GetUtcNow());
            foreach (var operation in batch)
            {
                commands.BatchCommands.Add(PostgresWriteCommands.For(operation, now));
            }

            await using (var reader = await commands.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if ((i > 0 && !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                        || !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new InvalidOperationException($"Statement {i + 1} of a storage batch returned no result row.");
                    }

                    PostgresWriteCommands.Stage(batch[i], reader);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresEndpoint.IsConnectionFailure(exception))
        {
            dataSource.Clear();
            throw endpoint.Unavailable(exception);
        }
    }
}
