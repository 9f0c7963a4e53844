using System.Diagnostics;
using System.Text;

namespace NexusOrleans.Testing.Postgres;

/// <summary>
/// Runs the PostgreSQL command-line programs. initdb and pg_ctl refuse to run as root, so when the tests run as root
/// the programs run as the <c>postgres</c> system user through <c>runuser</c>.
/// </summary>
internal static class ServerProcess
{
    public const string ServiceUser = "postgres";

    public static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Runs a program (as <see cref="ServiceUser"/> when root) and throws with its output when it fails.</summary>
    public static async Task RunAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments, workingDirectory, asServiceUser: true);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Path.GetFileName(program)} {string.Join(' ', arguments)}' did not finish within {timeout}. Output:\n{Read(output)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Path.GetFileName(program)} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}. Output:\n{Read(output)}");
        }
    }

    /// <summary>Runs a program synchronously, ignoring failures (used from the process-exit handler).</summary>
    public static void RunQuietly(string program, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        try
        {
            using var process = Start(program, arguments, workingDirectory, asServiceUser: true);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The process is exiting; there is nobody left to report to.
        }
    }

    /// <summary>Gives the service user ownership of a directory tree (only needed when running as root).</summary>
    public static Task GiveToServiceUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (!RunningAsRoot)
        {
            return Task.CompletedTask;
        }

        return RunDirectAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", directory], cancellationToken);
    }

    private static async Task RunDirectAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments, workingDirectory: "/", asServiceUser: false);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{program} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}: {Read(output)}");
        }
    }

    private static Process Start(string program, IReadOnlyList<string> arguments, string workingDirectory, bool asServiceUser)
    {
        var startInfo = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        if (asServiceUser && RunningAsRoot)
        {
            startInfo.FileName = "runuser";
            foreach (var argument in (string[])["-u", ServiceUser, "--", program])
            {
                startInfo.ArgumentList.Add(argument);
            }
        }
        else
        {
            startInfo.FileName = program;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start '{program}'.");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
