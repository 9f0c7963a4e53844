using System.Diagnostics;
using System.Globalization;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>
/// The real silo (grain runtime, inbox grains, the co-hosted phone gateway) as a child process: the Release build of
/// <c>Silo/</c>, started with <c>dotnet NexusOrleans.Silo.dll</c> on a free port of 127.0.0.1, with its store in a fresh
/// temporary directory and the gateway's rate limits raised so that they never refuse the load generator.
/// Everything else is the shipped <c>appsettings.json</c>, collector settings included.
/// </summary>
internal sealed class RelaySilo : IAsyncDisposable
{
    /// <summary>Settings given on the command line, over appsettings.json: rate limits far above the offered load.</summary>
    public static readonly string[] RaisedLimits =
    [
        "--Gateway:PerAddress:Burst=50000",
        "--Gateway:PerAddress:PermitsPerSecond=50000",
        "--Gateway:PerIdentity:Burst=100000",
        "--Gateway:PerIdentity:PermitsPerSecond=100000",
    ];

    private readonly ServerProcess _process;
    private readonly DirectoryInfo _directory;

    private RelaySilo(ServerProcess process, DirectoryInfo directory, int port, string storage)
    {
        _process = process;
        _directory = directory;
        Endpoint = new Uri($"ws://127.0.0.1:{port}/v1/ws");
        Storage = storage;
    }

    /// <summary>Where phones connect.</summary>
    public Uri Endpoint { get; }

    /// <summary>The store: sqlite or memory.</summary>
    public string Storage { get; }

    /// <summary>The silo's process id.</summary>
    public int Pid => _process.Pid;

    /// <summary>Warnings the silo logged so far (slow consumers, failed requests).</summary>
    public int Warnings => _process.Warnings;

    /// <summary>The last lines the silo logged.</summary>
    public string Tail() => _process.Tail();

    /// <summary>The silo's entry assembly in the Release build.</summary>
    public static string SiloAssembly => Path.Combine(RepositoryRoot, "Silo", "bin", "Release", "net10.0", "NexusOrleans.Silo.dll");

    /// <summary>The folder holding NexusOrleans.sln, found from this program's location.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Builds the silo in Release, so the figures are those of the code in this tree.</summary>
    public static async Task BuildAsync()
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["build", Path.Combine(RepositoryRoot, "Silo", "NexusOrleans.Silo.csproj"), "-c", "Release", "-nologo", "-v", "q"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var build = Process.Start(startInfo)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the silo failed:{Environment.NewLine}{await output}{await errors}");
        }
    }

    /// <summary>Starts a silo on <paramref name="storage"/> (sqlite: a file in a fresh temporary directory; memory) and waits until it is ready.</summary>
    public static async Task<RelaySilo> StartAsync(string storage)
    {
        var directory = Directory.CreateTempSubdirectory("nexus-bench-chat-");
        var port = ServerProcess.FreePort();
        string[] arguments =
        [
            SiloAssembly,
            "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            $"--Storage:Provider={storage}",
            $"--Storage:Sqlite:Path={Path.Combine(directory.FullName, "nexus.db")}",
            $"--Relay:GeneratedMnemonicFile={Path.Combine(directory.FullName, "relay-operator.mnemonic")}",
            "--Logging:LogLevel:Default=Warning",
            .. RaisedLimits,
        ];
        try
        {
            var process = await ServerProcess.StartAsync(
                "dotnet", arguments, directory.FullName, new Uri($"http://127.0.0.1:{port}/health/ready"), null, TimeSpan.FromSeconds(60));
            return new RelaySilo(process, directory, port, storage);
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "NexusOrleans.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the chat suite from inside the repository: NexusOrleans.sln was not found above the current directory or the program.");
    }
}
