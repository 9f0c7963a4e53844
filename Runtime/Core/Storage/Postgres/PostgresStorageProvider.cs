using Microsoft.Extensions.Logging;
using Npgsql;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>
/// The cluster store: PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>. Changes go through the group-commit
/// batcher as one statement batch per transaction; reads use pooled connections. The connection string's password
/// never appears in <see cref="Location"/>, in logs or in the errors this provider raises.
/// </summary>
public sealed partial class PostgresStorageProvider : IStorageProvider
{
    private readonly PostgresEndpoint _endpoint;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresReader _reader;
    private readonly GroupCommitBatcher _batcher;
    private readonly ProviderLifecycle _lifecycle = new("postgres");
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PostgresStorageProvider> _logger;

    /// <summary>Creates the provider; no connection is made until <see cref="InitializeAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="PostgresStorageOptions.Validate"/>).</exception>
    public PostgresStorageProvider(PostgresStorageOptions options, TimeProvider timeProvider, ILogger<PostgresStorageProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();

        _timeProvider = timeProvider;
        _logger = logger;
        _endpoint = new PostgresEndpoint(options.ConnectionString);
        _dataSource = CreateDataSource(options.ConnectionString);
        _reader = new PostgresReader(_dataSource, _endpoint);
        _batcher = new GroupCommitBatcher(new PostgresWriter(_dataSource, _endpoint, timeProvider), options.MaxBatchSize, Name, logger);
        GrainStorage = new PostgresGrainStorage(_lifecycle, _reader, _batcher);
        Reminders = new PostgresReminderTable(_lifecycle, _reader, _batcher);
    }

    /// <inheritdoc />
    public string Name => "postgres";

    /// <summary><c>host:port/database</c>; never the password.</summary>
    public string Location => _endpoint.Location;

    /// <inheritdoc />
    public IGrainStorage GrainStorage { get; }

    /// <inheritdoc />
    public IReminderTable Reminders { get; }

    /// <summary>The connection pool, shared with the cluster's membership and leases (same database, same credentials).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Where the server is, for the cluster's errors.</summary>
    internal PostgresEndpoint Endpoint => _endpoint;

    /// <summary>Transactions committed so far (diagnostics and tests).</summary>
    internal long CommittedBatches => _batcher.CommittedBatches;

    /// <summary>Changes committed so far (diagnostics and tests).</summary>
    internal long CommittedOperations => _batcher.CommittedOperations;

    /// <summary>Connects and migrates the schema; several silos may do this at once.</summary>
    /// <exception cref="StorageUnavailableException">The server cannot be reached, refuses the login, or the schema cannot be migrated.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken)
        => _lifecycle.InitializeOnceAsync(
            async token =>
            {
                int schemaVersion;
                try
                {
                    schemaVersion = await PostgresSchemaMigrator.MigrateAsync(_dataSource, _endpoint, _timeProvider, _logger, token)
                        .ConfigureAwait(false);
                }
                catch (NpgsqlException exception) when (!token.IsCancellationRequested)
                {
                    // A statement error while migrating (for example a missing privilege) leaves the store as unusable as
                    // an unreachable server does.
                    throw _endpoint.Unavailable(exception);
                }

                _batcher.Start();
                LogReady(_logger, Location, schemaVersion);
            },
            cancellationToken);

    /// <summary>Runs a trivial query on a pooled connection.</summary>
    /// <exception cref="StorageUnavailableException">The server cannot be reached.</exception>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        _lifecycle.ThrowIfDisposed();
        try
        {
            await _reader.QueryAsync(
                PostgresSql.Health,
                static () => [],
                static async (row, token) => await row.ReadAsync(token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw _endpoint.Unavailable(exception);
        }
    }

    /// <summary>Stops accepting changes, commits every change already queued, then closes the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_lifecycle.TryMarkDisposed())
        {
            return;
        }

        await _batcher.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        LogClosed(_logger, Location, _batcher.CommittedOperations);
    }

    /// <summary>
    /// The connection pool. Statements are prepared automatically once used a few times (unless the connection string
    /// sets <c>Max Auto Prepare</c> itself): a group-commit batch sends the same few statements many times, and without
    /// preparing them the server spends the batch parsing and planning (measured: about 3× the writes per second with it).
    /// </summary>
    internal static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // Npgsql's own builder reports every keyword it knows as present; a plain one reports only those written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!written.ContainsKey("Max Auto Prepare") && !written.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        return builder.Build();
    }

    [LoggerMessage(EventId = StorageEventIds.PostgresReady, Level = LogLevel.Information,
        Message = "Storage 'postgres' ready at {Location}, schema version {SchemaVersion}")]
    private static partial void LogReady(ILogger logger, string location, int schemaVersion);

    [LoggerMessage(EventId = StorageEventIds.PostgresClosed, Level = LogLevel.Information,
        Message = "Storage 'postgres' at {Location} closed after committing every queued change ({Operations} changes committed in its lifetime)")]
    private static partial void LogClosed(ILogger logger, string location, long operations);
}
