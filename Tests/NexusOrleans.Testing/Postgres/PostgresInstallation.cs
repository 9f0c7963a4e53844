namespace NexusOrleans.Testing.Postgres;

/// <summary>Where the PostgreSQL server programs (initdb, pg_ctl) are installed on this machine.</summary>
internal sealed record PostgresInstallation(string BinDirectory)
{
    private const string SearchRoot = "/usr/lib/postgresql";

    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>The newest installed version.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed.</exception>
    public static PostgresInstallation Find()
    {
        var candidates = Directory.Exists(SearchRoot)
            ? Directory.GetDirectories(SearchRoot)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not installed (no initdb and pg_ctl under {SearchRoot}/*/bin) and the environment variable " +
                $"{PostgresServer.EnvironmentVariable} is not set. Run ./test.sh, which installs PostgreSQL, or set " +
                $"{PostgresServer.EnvironmentVariable} to the connection string of a PostgreSQL administrator account.");
        }

        return new PostgresInstallation(candidates[0]);
    }
}
