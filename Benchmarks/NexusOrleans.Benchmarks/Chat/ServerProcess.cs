using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>
/// A server the chat suite runs in its own process (the silo, or the echo baseline), so that it and the load generator
/// have a collector and a thread pool each, and each stays under the per-process limit of open files. Its output is
/// kept (the last lines, and a count of warnings) for the report; it is stopped with SIGTERM, as an operator would.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    // The benchmark's silo is a relay nobody staked for, so the cluster refuses to list it (and sends it no canaries):
    // the registrar says so as a warning, which is expected here and says nothing about the figures.
    private const string ExpectedWarning = "RelayRegistrar[4012]";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly TaskCompletionSource _marker = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _readyMarker;
    private int _warnings;
    private bool _showNext;

    private ServerProcess(Process process, string? readyMarker)
    {
        _process = process;
        _readyMarker = readyMarker;
    }

    /// <summary>The process id, for <c>/proc</c> and the diagnostic port.</summary>
    public int Pid => _process.Id;

    /// <summary>Lines of its output that were warnings or errors (the silo logs a slow consumer, a failed request, … as warnings).</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, then
    /// waits until <paramref name="readyUrl"/> answers 200, or until a line of output contains <paramref name="readyMarker"/>.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, Uri? readyUrl, string? readyMarker, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var server = new ServerProcess(process, readyMarker);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(readyUrl, timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The last lines the process wrote, for an error message.</summary>
    public string Tail(int lines = 30)
    {
        lock (_lastLines)
        {
            return string.Join(Environment.NewLine, _lastLines.TakeLast(lines));
        }
    }

    /// <summary>Stops it with SIGTERM (graceful shutdown), or kills it when it does not stop in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(Uri? readyUrl, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{Tail()}");
            }

            if (readyUrl is null ? _marker.Task.IsCompleted : await IsReadyAsync(http, readyUrl))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server was not ready within {timeout.TotalSeconds:F0} s:{Environment.NewLine}{Tail()}");
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, Uri url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (_readyMarker is not null && line.Contains(_readyMarker, StringComparison.Ordinal))
        {
            _marker.TrySetResult();
        }

        // Both output streams call this: one lock keeps a warning's two lines together.
        lock (_lastLines)
        {
            // The console logger writes the level and category on one line and the message on the next: both are shown.
            if (_showNext)
            {
                _showNext = false;
                Console.Error.WriteLine($"  server: {line.Trim()}");
            }

            if ((line.Contains("warn:", StringComparison.Ordinal) || line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal))
                && !line.Contains(ExpectedWarning, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _warnings);
                _showNext = true;
                Console.Error.WriteLine($"  server: {line.Trim()}");
            }

            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
