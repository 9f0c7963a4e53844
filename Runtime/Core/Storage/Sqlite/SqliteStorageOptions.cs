namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The database file. Relative paths are resolved against the working directory; missing directories are created.</summary>
    public string Path { get; set; } = "./data/nexus.db";

    /// <summary>Most changes committed in one transaction. 1 commits every change on its own (the baseline).</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>How long a statement waits for a lock held by another connection or process before it fails.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws when a setting is out of range; the message names the setting and what is allowed.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("SqliteStorageOptions.Path must name a database file, for example './data/nexus.db'.", nameof(Path));
        }

        if (Path.Trim() == ":memory:" || Path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"SqliteStorageOptions.Path '{Path}' is not a file path; the store needs a file on disk (readers and the writer use separate connections).",
                nameof(Path));
        }

        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"SqliteStorageOptions.MaxBatchSize is {MaxBatchSize}; it must be at least 1.", nameof(MaxBatchSize));
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException(
                $"SqliteStorageOptions.BusyTimeout is {BusyTimeout}; it must be more than zero and at most {TimeSpan.FromMilliseconds(int.MaxValue)}.",
                nameof(BusyTimeout));
        }
    }
}
