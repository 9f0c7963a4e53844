using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NexusOrleans.Silo.Tests;

/// <summary>
/// A silo started as a separate process with <c>dotnet run --project Silo --no-build</c> (the README's command, on the
/// build the test command made), in its own working directory, listening on a free port of 127.0.0.1. Its output is
/// kept line by line so tests can wait for a line instead of sleeping.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly Lock _lock = new();

    private SiloProcess(Process process, string workingDirectory, int port)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        Port = port;
    }

    public string WorkingDirectory { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public IReadOnlyCollection<string> Output => _output;

    public IReadOnlyCollection<string> Errors => _errors;

    public static SiloProcess Start(IDictionary<string, string>? environment = null, params string[] arguments)
    {
        var port = FreePort();
        var workingDirectory = Directory.CreateTempSubdirectory("nexus-silo-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["run", "--project", Path.Combine(RepositoryRoot, "Silo"), "--no-build", "--no-launch-profile", "--",
                     "--urls", $"http://127.0.0.1:{port}", "--Logging:Console:FormatterName=simple", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, workingDirectory, port);
        process.Exited += (_, _) => silo.OnExited();
        process.OutputDataReceived += (_, line) => silo.OnLine(line.Data, silo._output);
        process.ErrorDataReceived += (_, line) => silo.OnLine(line.Data, silo._errors);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits for an output line (stdout or stderr) containing <paramref name="text"/>.</summary>
    public Task<string> WaitForLine(string text)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var existing = _output.Concat(_errors).FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            _waiters.Add((line => line.Contains(text, StringComparison.Ordinal), seen));
        }

        if (_process.HasExited)
        {
            OnExited();
        }

        return seen.Task.WaitAsync(Patience).ContinueWith(
            task => task.IsCompletedSuccessfully ? task.Result : throw new TimeoutException(
                $"The silo did not print '{text}'. Output:\n{string.Join('\n', _output)}\nErrors:\n{string.Join('\n', _errors)}", task.Exception?.InnerException),
            TaskScheduler.Default);
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Patience);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Asks the silo to stop as Kubernetes does: SIGTERM.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying child; the temp directory is cleaned up by the system.
        }
    }

    /// <summary>A process that exited will print nothing more: fail whoever still waits, at once.</summary>
    private void OnExited()
    {
        // Let the output readers deliver the last lines first.
        _process.WaitForExit();
        List<TaskCompletionSource<string>> waiting;
        lock (_lock)
        {
            waiting = [.. _waiters.Select(waiter => waiter.Seen)];
            _waiters.Clear();
        }

        var exited = new InvalidOperationException(
            $"The silo exited with code {_process.ExitCode}. Output:\n{string.Join('\n', _output)}\nErrors:\n{string.Join('\n', _errors)}");
        waiting.ForEach(seen => seen.TrySetException(exited));
    }

    private void OnLine(string? line, ConcurrentQueue<string> sink)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> matched = [];
        lock (_lock)
        {
            sink.Enqueue(line);
            _waiters.RemoveAll(waiter =>
            {
                if (!waiter.Match(line))
                {
                    return false;
                }

                matched.Add(waiter.Seen);
                return true;
            });
        }

        matched.ForEach(seen => seen.TrySetResult(line));
    }

    private static string RepositoryRoot
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
