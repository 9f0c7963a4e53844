using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in write-ahead-log mode, synced on every commit. One writer connection applies
/// all changes through the group-commit batcher; reads use their own pooled connections and never wait for it.
/// </summary>
public sealed partial class SqliteStorageProvider : IStorageProvider
{
    private readonly SqliteDatabase _database;
    private readonly SqliteWriter _writer;
    private readonly GroupCommitBatcher _batcher;
    private readonly ProviderLifecycle _lifecycle = new("sqlite");
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SqliteStorageProvider> _logger;

    /// <summary>Creates the provider; no I/O happens until <see cref="InitializeAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="SqliteStorageOptions.Validate"/>).</exception>
    public SqliteStorageProvider(SqliteStorageOptions options, TimeProvider timeProvider, ILogger<SqliteStorageProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();

        _timeProvider = timeProvider;
        _logger = logger;
        _database = new SqliteDatabase(System.IO.Path.GetFullPath(options.Path), options.BusyTimeout);
        _writer = new SqliteWriter(_database, timeProvider);
        _batcher = new GroupCommitBatcher(_writer, options.MaxBatchSize, Name, logger);
        GrainStorage = new SqliteGrainStorage(_lifecycle, _database, _batcher);
        Reminders = new SqliteReminderTable(_lifecycle, _database, _batcher);
    }

    /// <inheritdoc />
    public string Name => "sqlite";

    /// <summary>The full path of the database file.</summary>
    public string Location => _database.FullPath;

    /// <inheritdoc />
    public IGrainStorage GrainStorage { get; }

    /// <inheritdoc />
    public IReminderTable Reminders { get; }

    /// <summary>Transactions committed by the writer so far (diagnostics and tests).</summary>
    internal long CommittedBatches => _batcher.CommittedBatches;

    /// <summary>Changes committed by the writer so far (diagnostics and tests).</summary>
    internal long CommittedOperations => _batcher.CommittedOperations;

    /// <summary>Creates the directory and the file if missing, opens the writer, and migrates the schema.</summary>
    /// <exception cref="StorageUnavailableException">The file cannot be created, opened, locked or migrated.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken)
        => _lifecycle.InitializeOnceAsync(
            _ =>
            {
                var schemaVersion = OpenAndMigrate();
                _batcher.Start();
                LogOpened(_logger, Location, schemaVersion);
                return Task.CompletedTask;
            },
            cancellationToken);

    /// <summary>Opens a read connection and runs a trivial query.</summary>
    /// <exception cref="StorageUnavailableException">The file cannot be opened or read.</exception>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        _lifecycle.ThrowIfDisposed();
        try
        {
            await using var connection = await _database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var command = SqliteParameters.Command(connection, SqliteSql.Health);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException exception)
        {
            throw _database.Unavailable(_database.DescribeOpenFailure(exception), exception);
        }
    }

    /// <summary>Stops accepting changes, commits every change already queued, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_lifecycle.TryMarkDisposed())
        {
            return;
        }

        await _batcher.DisposeAsync().ConfigureAwait(false);
        _writer.Dispose();
        _database.ReleasePooledReaders();
        LogClosed(_logger, Location, _batcher.CommittedOperations);
    }

    private int OpenAndMigrate()
    {
        try
        {
            var directory = System.IO.Path.GetDirectoryName(_database.FullPath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            _writer.Open();
            var version = SqliteSchemaMigrator.Migrate(_writer.Connection, _database, _timeProvider, _logger);
            _writer.PrepareCommands();
            return version;
        }
        catch (StorageUnavailableException)
        {
            _writer.Dispose();
            throw;
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            _writer.Dispose();
            throw _database.Unavailable(_database.DescribeOpenFailure(exception), exception);
        }
    }

    [LoggerMessage(EventId = StorageEventIds.SqliteOpened, Level = LogLevel.Information,
        Message = "Storage 'sqlite' opened {Path} at schema version {SchemaVersion}")]
    private static partial void LogOpened(ILogger logger, string path, int schemaVersion);

    [LoggerMessage(EventId = StorageEventIds.SqliteClosed, Level = LogLevel.Information,
        Message = "Storage 'sqlite' closed {Path} after committing every queued change ({Operations} changes committed in its lifetime)")]
    private static partial void LogClosed(ILogger logger, string path, long operations);
}
