using System.Globalization;
using NexusOrleans.Testing;

namespace NexusOrleans.Silo.Tests.Cluster;

/// <summary>
/// One silo or gateway process of a test cluster, started as <c>dotnet NexusOrleans.Silo.dll</c> or
/// <c>dotnet NexusOrleans.Gateway.dll</c> (the build the tests were built with) so that the process id is its own: the
/// tests kill it with SIGKILL, freeze it with SIGSTOP and stop it with SIGTERM. A restart is a new process on the same
/// ports and working directory (the same relay key), so for a silo a new generation.
/// </summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    private readonly string _assembly;
    private readonly string _readyLine;
    private readonly IReadOnlyList<string> _settings;
    private ChildProcess _process;

    private ClusterProcess(string name, string project, string readyLine, int httpPort, int clusterPort, IReadOnlyList<string> settings)
    {
        Name = name;
        WorkingDirectory = Directory.CreateTempSubdirectory("nexus-cluster-process-").FullName;
        HttpPort = httpPort;
        ClusterPort = clusterPort;
        _assembly = BuiltAssembly(project);
        _readyLine = readyLine;
        _settings = settings;
        _process = Launch();
    }

    public string Name { get; }

    public string WorkingDirectory { get; }

    public int HttpPort { get; }

    /// <summary>Its silo-to-silo port, which also names it in <c>nexus_silos</c>.</summary>
    public int ClusterPort { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Where phones connect.</summary>
    public Uri WebSocketAddress => new($"ws://127.0.0.1:{HttpPort}/v1/ws");

    public IEnumerable<string> Log => _process.Output.Concat(_process.Errors);

    /// <summary>Starts a silo on free ports with <paramref name="settings"/> (<c>--Key=Value</c> arguments).</summary>
    public static ClusterProcess StartSilo(string name, IReadOnlyList<string> settings) =>
        new(name, "Silo", "Silo ready", LoopbackPort.Free(), LoopbackPort.Free(), settings);

    /// <summary>Starts a gateway process on free ports (its cluster port is where silos call its observers back).</summary>
    public static ClusterProcess StartGateway(string name, IReadOnlyList<string> settings) =>
        new(name, "Gateway", "Gateway ready", LoopbackPort.Free(), LoopbackPort.Free(), settings);

    public Task WaitUntilReadyAsync() => _process.WaitForLine(_readyLine);

    /// <summary>Waits for an output line containing <paramref name="text"/> (already printed or to come).</summary>
    public Task<string> WaitForLine(string text) => _process.WaitForLine(text);

    /// <summary>A crash: SIGKILL, no chance to hand anything over.</summary>
    public Task KillAsync() => SignalAsync("KILL");

    /// <summary>Freezes the process (SIGSTOP), as a long GC pause or a stalled VM would.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>A graceful stop, as Kubernetes asks for one: SIGTERM.</summary>
    public Task TerminateAsync() => SignalAsync("TERM");

    public Task<int> WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>Starts the silo again after it exited: same ports, same working directory, a new generation.</summary>
    public async Task RestartAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} (pid {_process.Id}) is still running; stop it before restarting it.");
        }

        await _process.DisposeAsync();
        _process = Launch();
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process; the temp directory is cleaned up by the system.
        }
    }

    private ChildProcess Launch() => ChildProcess.Start(
        Name,
        WorkingDirectory,
        ["dotnet", _assembly,
         "--urls", $"http://127.0.0.1:{HttpPort}",
         "--Logging:Console:FormatterName=simple",
         "--Cluster:Host=127.0.0.1",
         $"--Cluster:Port={ClusterPort.ToString(CultureInfo.InvariantCulture)}",
         .. _settings]);

    private async Task SignalAsync(string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>The project's assembly of the configuration these tests were built with (bin/&lt;Configuration&gt;/net10.0).</summary>
    private static string BuiltAssembly(string project)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var dll = Path.Combine(SiloProcess.RepositoryRoot, project, "bin", configuration, framework.Name, $"NexusOrleans.{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build {project} ({configuration}) before these tests.", dll);
    }
}
