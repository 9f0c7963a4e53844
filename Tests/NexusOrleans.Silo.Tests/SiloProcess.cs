using NexusOrleans.Testing;

namespace NexusOrleans.Silo.Tests;

/// <summary>
/// A silo started as a separate process with <c>dotnet run --project Silo --no-build</c> (the README's command, on the
/// build the test command made), in its own working directory, listening on a free port of 127.0.0.1.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, string workingDirectory, int port)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        Port = port;
    }

    public string WorkingDirectory { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Where phones connect.</summary>
    public Uri WebSocketAddress => new($"ws://127.0.0.1:{Port}/v1/ws");

    public IReadOnlyCollection<string> Output => _process.Output;

    public IReadOnlyCollection<string> Errors => _process.Errors;

    public static SiloProcess Start(IDictionary<string, string>? environment = null, params string[] arguments)
    {
        var port = LoopbackPort.Free();
        var workingDirectory = Directory.CreateTempSubdirectory("nexus-silo-").FullName;
        var process = ChildProcess.Start(
            "The silo",
            workingDirectory,
            ["dotnet", "run", "--project", Path.Combine(RepositoryRoot, "Silo"), "--no-build", "--no-launch-profile", "--",
             "--urls", $"http://127.0.0.1:{port}", "--Logging:Console:FormatterName=simple", .. arguments],
            environment);
        return new SiloProcess(process, workingDirectory, port);
    }

    /// <summary>Waits for an output line (stdout or stderr) containing <paramref name="text"/>.</summary>
    public Task<string> WaitForLine(string text) => _process.WaitForLine(text);

    public Task<int> WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>Asks the silo to stop as Kubernetes does: SIGTERM.</summary>
    public void Terminate() => _process.Terminate();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying child; the temp directory is cleaned up by the system.
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "NexusOrleans.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("NexusOrleans.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
