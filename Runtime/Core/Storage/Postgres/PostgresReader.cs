using Npgsql;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>
/// Runs read-only queries on pooled connections. A read that fails because its connection was dead (the server
/// restarted since the connection was pooled) discards the idle pool and is tried once more on a fresh connection;
/// reads change nothing, so repeating one is always safe.
/// </summary>
internal sealed class PostgresReader(NpgsqlDataSource dataSource, PostgresEndpoint endpoint)
{
    public async Task<T> QueryAsync<T>(
        string sql,
        Func<NpgsqlParameter[]> parameters,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddRange(parameters());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await read(reader, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (PostgresEndpoint.IsConnectionFailure(exception) && !cancellationToken.IsCancellationRequested)
            {
                dataSource.Clear();
                if (attempt >= 2)
                {
                    throw endpoint.Unavailable(exception);
                }
            }
        }
    }
}
