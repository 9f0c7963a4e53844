using System.Net.Sockets;
using Npgsql;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>
/// What may be said about the server in logs and errors (host, port, database, user) and how to describe a failure
/// in a short human reason. The password is known here only to make sure it never appears in anything this type
/// produces.
/// </summary>
internal sealed class PostgresEndpoint
{
    private const string Redacted = "***";
    private readonly string _password;

    public PostgresEndpoint(string connectionString)
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        _password = parsed.Password ?? "";
        Username = parsed.Username ?? "";
        Database = string.IsNullOrEmpty(parsed.Database) ? Username : parsed.Database;
        var hosts = (parsed.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var withPorts = hosts.Select(host => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('/') ? host : $"{host}:{parsed.Port}");
        Location = Scrub($"{string.Join(",", withPorts)}/{Database}");
    }

    /// <summary><c>host:port/database</c>, never the password.</summary>
    public string Location { get; }

    public string Username { get; }

    public string Database { get; }

    /// <summary>True when the failure is about reaching the server rather than about a statement.</summary>
    public static bool IsConnectionFailure(Exception exception) => exception switch
    {
        PostgresException postgres => IsConnectionState(postgres.SqlState),
        NpgsqlException => true,
        _ => false,
    };

    /// <summary>The failure as <see cref="StorageUnavailableException"/> with a short reason and no secret in it.</summary>
    public StorageUnavailableException Unavailable(Exception exception) => Unavailable(Describe(exception), exception);

    public StorageUnavailableException Unavailable(string reason, Exception? exception) =>
        new("postgres", Location, Scrub(reason), exception is null || Leaks(exception) ? null : exception);

    /// <summary>A short, human reason for <paramref name="exception"/>.</summary>
    public string Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return DescribeServerError(postgres);
                case SocketException socket:
                    return DescribeSocketError(socket.SocketErrorCode);
                case TimeoutException:
                    return "timed out waiting for the server";
            }
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is IOException)
            {
                return "the connection to the server was lost";
            }
        }

        return Scrub(FirstLine(exception.Message));
    }

    /// <summary>Replaces the password wherever it occurs in <paramref name="text"/>.</summary>
    public string Scrub(string text) =>
        _password.Length == 0 ? text : text.Replace(_password, Redacted, StringComparison.Ordinal);

    private static bool IsConnectionState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)      // connection exception
        || sqlState.StartsWith("28", StringComparison.Ordinal)   // invalid authorization
        || sqlState is "3D000"                                  // database does not exist
            or "53300"                                          // too many connections
            or "57P01" or "57P02" or "57P03";                   // admin shutdown, crash shutdown, cannot connect now

    private static string DescribeSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.TimedOut => "timed out connecting",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "host unreachable",
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "the connection was reset",
        _ => $"network error ({error})",
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private string DescribeServerError(PostgresException postgres) => postgres.SqlState switch
    {
        "28P01" or "28000" => $"authentication failed for user '{Username}'",
        "3D000" => $"database '{Database}' does not exist",
        "53300" => "the server has no free connection slots",
        "57P01" or "57P02" => "the server is shutting down",
        "57P03" => "the server is starting up or shutting down",
        _ => Scrub(FirstLine(postgres.MessageText)),
    };

    private bool Leaks(Exception exception) =>
        _password.Length > 0 && exception.ToString().Contains(_password, StringComparison.Ordinal);
}
