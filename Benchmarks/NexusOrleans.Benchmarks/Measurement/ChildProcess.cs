using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>
/// Runs one measurement in a fresh copy of this program, so memory figures start from a clean heap: the child prints one
/// line <c>RESULT {json}</c>, which the parent reads back.
/// </summary>
public static class ChildProcess
{
    private const string ResultPrefix = "RESULT ";

    /// <summary>Writes the result line a child reports its measurement with.</summary>
    public static void Report<T>(T result) => Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));

    /// <summary>Starts this program with <paramref name="arguments"/>, waits, and returns the result the child reported.</summary>
    /// <exception cref="InvalidOperationException">The child failed or reported nothing.</exception>
    public static async Task<T> RunAsync<T>(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown, so it cannot start a copy of itself."),
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Started through the dotnet host (dotnet NexusOrleans.Benchmarks.dll) rather than the apphost: pass the assembly.
        if (Path.GetFileNameWithoutExtension(startInfo.FileName) == "dotnet")
        {
            startInfo.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        string? result = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                result = line[ResultPrefix.Length..];
            }
            else
            {
                Console.WriteLine("    " + line);
            }
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"The measurement '{string.Join(' ', arguments)}' failed (exit code {process.ExitCode}); its output is above.");
        }

        return JsonSerializer.Deserialize<T>(result)!;
    }
}
