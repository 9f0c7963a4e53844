using System.Data.Common;
using Npgsql;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>Settings of the PostgreSQL store.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>
    /// An Npgsql connection string, for example <c>Host=db;Port=5432;Database=nexus;Username=nexus;Password=…</c>.
    /// It holds a secret: it is never logged nor put in an error message.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Most changes sent in one batch and committed in one transaction. 1 commits every change on its own.</summary>
    public int MaxBatchSize { get; set; } = 128;

    /// <summary>Throws when a setting is invalid; the message names the setting and never shows the password.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException(
                "PostgresStorageOptions.ConnectionString is empty; set it to an Npgsql connection string such as " +
                "'Host=db;Port=5432;Database=nexus;Username=nexus;Password=…'.", nameof(ConnectionString));
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
        {
            // The parser's own message is kept for the keyword it names, with any password value removed, and the
            // exception itself is not attached: its data could echo the value.
            throw new ArgumentException(
                $"PostgresStorageOptions.ConnectionString is not a valid Npgsql connection string: {RedactPassword(exception.Message)}",
                nameof(ConnectionString));
        }

        if (string.IsNullOrWhiteSpace(parsed.Host))
        {
            throw new ArgumentException("PostgresStorageOptions.ConnectionString names no Host; add for example 'Host=db'.", nameof(ConnectionString));
        }

        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"PostgresStorageOptions.MaxBatchSize is {MaxBatchSize}; it must be at least 1.", nameof(MaxBatchSize));
        }
    }

    private string RedactPassword(string message)
    {
        try
        {
            var generic = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
            foreach (var keyword in new[] { "password", "pwd" })
            {
                if (generic.TryGetValue(keyword, out var value) && value?.ToString() is { Length: > 0 } password)
                {
                    message = message.Replace(password, "***", StringComparison.Ordinal);
                }
            }

            return message;
        }
        catch (ArgumentException)
        {
            return "the string does not follow the 'key=value;key=value' format";
        }
    }
}
