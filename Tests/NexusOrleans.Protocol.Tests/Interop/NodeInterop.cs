using System.Diagnostics;
using System.Text;
using NexusOrleans.Protocol.Tests.Support;

namespace NexusOrleans.Protocol.Tests.Interop;

/// <summary>
/// Runs a script of interop/ (interop.mjs, the independent JavaScript implementation; merkle.mjs, the reference epoch
/// batch Merkle tree) as a child process. Node and the npm packages are part of the test prerequisites (test.sh installs
/// the packages): when they are missing, the tests fail with the command that fixes it rather than skip, so a machine
/// without them cannot look green.
/// </summary>
internal static class NodeInterop
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly string[] Packages = ["libsodium-wrappers", "@scure/bip39", "@openzeppelin/merkle-tree"];

    /// <summary>Runs interop/interop.mjs with <paramref name="arguments"/>.</summary>
    public static Task<NodeResult> RunAsync(params string[] arguments) => RunScriptAsync("interop/interop.mjs", arguments);

    /// <summary>Runs <paramref name="script"/> (relative to the repository root) with <paramref name="arguments"/>.</summary>
    public static async Task<NodeResult> RunScriptAsync(string script, params string[] arguments)
    {
        RequireInstalled();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryRoot.Combine(script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned no process for node.");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            Assert.Fail($"Could not start `node` ({error.Message}). Install Node.js 20.19 or later (Debian: apt-get install nodejs npm), then run `npm ci --prefix interop` in {RepositoryRoot.Path}.");
            throw;
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(Timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new NodeResult(process.ExitCode, await stdout, await stderr, string.Join(' ', [script, .. arguments]));
        }
    }

    private static void RequireInstalled()
    {
        var modules = RepositoryRoot.Combine("interop/node_modules");
        var missing = Packages.Where(package => !Directory.Exists(Path.Combine(modules, package))).ToList();
        if (missing.Count > 0)
        {
            Assert.Fail($"The interop npm packages {string.Join(", ", missing)} are not installed in {modules}. Install them from the repository root with `npm ci --prefix interop` (test.sh does this).");
        }
    }
}

internal sealed record NodeResult(int ExitCode, string StandardOutput, string StandardError, string Arguments)
{
    /// <summary>Fails the test with everything node printed unless it exited 0.</summary>
    public NodeResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"node {Arguments} exited {ExitCode}.\nstdout: {StandardOutput}\nstderr: {StandardError}");
        return this;
    }
}
