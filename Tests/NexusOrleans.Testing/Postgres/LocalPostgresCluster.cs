using System.Globalization;
using System.Security.Cryptography;

namespace NexusOrleans.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL server: a fresh data directory under the temp directory, listening on a free 127.0.0.1
/// port only, with password authentication and fsync on (the durability the storage code relies on is real). It is
/// stopped and its directory deleted when disposed, and also when the process exits.
/// </summary>
internal sealed class LocalPostgresCluster : IDisposable
{
    public const string AdminUser = "nexus_admin";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private readonly PostgresInstallation _installation;
    private readonly string _root;
    private int _disposed;

    private LocalPostgresCluster(PostgresInstallation installation, string root, string password)
    {
        _installation = installation;
        _root = root;
        Password = password;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public int Port { get; private set; }

    public string Password { get; }

    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    /// <summary>Creates the data directory and starts the server.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or initdb or the start failed.</exception>
    public static async Task<LocalPostgresCluster> CreateAsync(CancellationToken cancellationToken)
    {
        var installation = PostgresInstallation.Find();
        var root = Directory.CreateTempSubdirectory("nexus-pg-").FullName;
        var cluster = new LocalPostgresCluster(installation, root, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        try
        {
            await cluster.InitDbAsync(cancellationToken).ConfigureAwait(false);
            await cluster.StartOnFreePortAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (IsRunning)
        {
            return;
        }

        try
        {
            await ServerProcess.RunAsync(_installation.PgCtl, ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile], _root, CommandTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException($"{exception.Message}\nServer log:\n{ReadLog()}", exception);
        }

        IsRunning = true;
    }

    /// <summary>Stops the server at once, as a crash would (no checkpoint); the next start recovers from the WAL.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!IsRunning)
        {
            return;
        }

        await ServerProcess.RunAsync(_installation.PgCtl, ["stop", "-w", "-m", "immediate", "-D", DataDirectory], _root, CommandTimeout, cancellationToken)
            .ConfigureAwait(false);
        IsRunning = false;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (IsRunning)
        {
            ServerProcess.RunQuietly(_installation.PgCtl, ["stop", "-w", "-m", "immediate", "-D", DataDirectory], _root, TimeSpan.FromSeconds(30));
            IsRunning = false;
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover directory under the temp directory does no harm.
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(_root, "password");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken).ConfigureAwait(false);
        await ServerProcess.GiveToServiceUserAsync(_root, cancellationToken).ConfigureAwait(false);

        // --no-sync only skips syncing the freshly created files once; the running server syncs every commit (fsync = on).
        await ServerProcess.RunAsync(
            _installation.InitDb,
            ["-D", DataDirectory, "-U", AdminUser, $"--pwfile={passwordFile}", "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
            _root,
            CommandTimeout,
            cancellationToken).ConfigureAwait(false);
        File.Delete(passwordFile);
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        // Another process can take the port between the probe and the server's bind; then try another one.
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            await WriteSettingsAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await StartAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    private async Task WriteSettingsAsync(CancellationToken cancellationToken)
    {
        // postgresql.auto.conf is read after postgresql.conf, so these settings win; it is rewritten on every attempt.
        var settings = string.Create(CultureInfo.InvariantCulture, $"""
            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = ''
            fsync = on
            synchronous_commit = on
            full_page_writes = on
            max_connections = 300
            shared_buffers = '64MB'

            """);
        var path = Path.Combine(DataDirectory, "postgresql.auto.conf");
        await File.WriteAllTextAsync(path, settings, cancellationToken).ConfigureAwait(false);
        await ServerProcess.GiveToServiceUserAsync(path, cancellationToken).ConfigureAwait(false);
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";
        }
        catch (IOException exception)
        {
            return $"(server log unreadable: {exception.Message})";
        }
    }
}
