using System.Collections.Concurrent;
using System.Diagnostics;

namespace NexusOrleans.Silo.Tests;

/// <summary>
/// A child process whose output is kept line by line, so tests wait for a line instead of sleeping; killed with its
/// children on dispose.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly string _name;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly Lock _lock = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public IReadOnlyCollection<string> Output => _output;

    public IReadOnlyCollection<string> Errors => _errors;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="arguments"/> (the first is the program) in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string name, string workingDirectory, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, bool redirectInput = false)
    {
        var list = arguments.ToList();
        var start = new ProcessStartInfo(list[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in list.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.Exited += (_, _) => child.OnExited();
        process.OutputDataReceived += (_, line) => child.OnLine(line.Data, child._output);
        process.ErrorDataReceived += (_, line) => child.OnLine(line.Data, child._errors);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Writes one line to the process's standard input.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes the process's standard input (end of file).</summary>
    public void CloseInput() => _process.StandardInput.Close();

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
                $"{_name} did not print '{text}'. Output:\n{string.Join('\n', _output)}\nErrors:\n{string.Join('\n', _errors)}", task.Exception?.InnerException),
            TaskScheduler.Default);
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Patience);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Asks the process to stop as Kubernetes does: SIGTERM.</summary>
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
            $"{_name} exited with code {_process.ExitCode}. Output:\n{string.Join('\n', _output)}\nErrors:\n{string.Join('\n', _errors)}");
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
}
