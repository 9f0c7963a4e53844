using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>
/// One SQLite database file: how to open its single writer connection and its pooled read connections, and how to
/// turn a SQLite failure into the error a caller should see.
/// </summary>
internal sealed class SqliteDatabase
{
    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMem = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADb = 26;

    private readonly string _writerConnectionString;
    private readonly string _readerConnectionString;
    private readonly int _busyTimeoutMilliseconds;

    public SqliteDatabase(string fullPath, TimeSpan busyTimeout)
    {
        FullPath = fullPath;
        BusyTimeout = busyTimeout;
        _busyTimeoutMilliseconds = (int)Math.Ceiling(busyTimeout.TotalMilliseconds);
        var timeoutSeconds = (int)Math.Ceiling(busyTimeout.TotalSeconds);

        // The writer is a dedicated connection held for the provider's lifetime, so it bypasses the pool.
        _writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        // Readers never create the file: by the time any reader runs, the writer has created and migrated it.
        _readerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
    }

    public string FullPath { get; }

    public TimeSpan BusyTimeout { get; }

    public SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            connection.Open();
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, _busyTimeoutMilliseconds);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = SqliteSql.ConnectionPragmas;
            var journalMode = Convert.ToString(pragmas.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw Unavailable($"the database refused write-ahead logging (journal mode is '{journalMode}')", null);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readerConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, _busyTimeoutMilliseconds);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the pooled read connections, releasing the file.</summary>
    public void ReleasePooledReaders()
    {
        using var connection = new SqliteConnection(_readerConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public StorageUnavailableException Unavailable(string reason, Exception? innerException) =>
        new("sqlite", FullPath, reason, innerException);

    /// <summary>
    /// A failure of the file or the disk becomes <see cref="StorageUnavailableException"/>; anything else (such as a
    /// constraint violation) is returned unchanged.
    /// </summary>
    public Exception Translate(Exception exception) =>
        exception is SqliteException sqlite && DescribeUnavailable(sqlite) is { } reason ? Unavailable(reason, exception) : exception;

    /// <summary>A short reason for a failure to open or initialize the file.</summary>
    public string DescribeOpenFailure(Exception exception) => exception switch
    {
        SqliteException sqlite => DescribeUnavailable(sqlite) ?? sqlite.Message,
        UnauthorizedAccessException => $"permission denied creating the directory of the file ({exception.Message})",
        IOException when FileInTheWay() is { } file => $"'{file}' is a regular file, so the directory of the database cannot be created there",
        IOException => $"the directory of the file cannot be created ({exception.Message})",
        _ => exception.Message,
    };

    /// <summary>The nearest existing ancestor of the file, when that ancestor is a regular file rather than a directory.</summary>
    private string? FileInTheWay()
    {
        for (var current = System.IO.Path.GetDirectoryName(FullPath); !string.IsNullOrEmpty(current); current = System.IO.Path.GetDirectoryName(current))
        {
            if (File.Exists(current))
            {
                return current;
            }

            if (Directory.Exists(current))
            {
                return null;
            }
        }

        return null;
    }

    private string? DescribeUnavailable(SqliteException exception) => exception.SqliteErrorCode switch
    {
        SqliteBusy or SqliteLocked => string.Create(CultureInfo.InvariantCulture,
            $"the database stayed locked by another connection or process for the whole busy timeout ({BusyTimeout.TotalSeconds:0.###} s)"),
        SqliteReadOnly => "the database file is read-only",
        SqliteIoErr => "disk I/O error",
        SqliteFull => "the disk is full",
        SqliteCantOpen => "the database file cannot be opened (missing directory, not a file, or no permission)",
        SqlitePerm => "permission denied",
        SqliteCorrupt or SqliteNotADb => "the file is corrupt or is not a SQLite database",
        SqliteNoMem => "SQLite ran out of memory",
        _ => null,
    };
}
