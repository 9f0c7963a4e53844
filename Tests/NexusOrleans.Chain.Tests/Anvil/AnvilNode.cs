using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Testing;

namespace NexusOrleans.Chain.Tests.Anvil;

/// <summary>
/// A real local EVM node for one test: the anvil binary of the pinned npm package @foundry-rs/anvil-linux-amd64
/// (installed by <c>npm ci --prefix contracts</c>, which test.sh runs before the .NET tests), on 127.0.0.1 on a free
/// port, with the fixed "test … junk" mnemonic and chain id 31337 as contracts/test/chain.mjs starts it. Killed on
/// dispose. <c>NEXUS_ANVIL</c> may point at another anvil binary.
/// </summary>
public sealed class AnvilNode : IAsyncDisposable
{
    public const string Mnemonic = "test test test test test test test test test test test junk";
    public const ulong ChainId = 31337;

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly List<EvmWallet> _wallets = [];

    private AnvilNode(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Rpc = new EthRpcClient(_http, endpoint);
    }

    public Uri Endpoint { get; }

    public EthRpcClient Rpc { get; }

    /// <summary>Where the anvil binary is, or a message saying how to get it.</summary>
    public static string FindBinary()
    {
        if (Environment.GetEnvironmentVariable("NEXUS_ANVIL") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"NEXUS_ANVIL names {configured}, which does not exist.");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "contracts", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (File.Exists(Path.Combine(directory.FullName, "NexusOrleans.sln")))
            {
                throw new InvalidOperationException(
                    $"The anvil binary is missing: expected {candidate}. Run `npm ci --prefix contracts` (test.sh does) to install @foundry-rs/anvil-linux-amd64.");
            }
        }

        throw new InvalidOperationException("The repository root (NexusOrleans.sln) was not found above the test binaries, so neither was anvil.");
    }

    public static async Task<AnvilNode> StartAsync()
    {
        var binary = FindBinary();
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var start = new ProcessStartInfo(binary)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mnemonic", Mnemonic,
                         "--accounts", "10", "--balance", "10000", "--chain-id", ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent",
                     })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start.");
            var stderr = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var node = new AnvilNode(process, new Uri($"http://127.0.0.1:{port}"));
            var deadline = DateTime.UtcNow + StartPatience;
            while (true)
            {
                if (process.HasExited)
                {
                    await node.DisposeAsync();
                    if (attempt < 3)
                    {
                        break; // most likely the port was taken in between: try another
                    }

                    lock (stderr)
                    {
                        throw new InvalidOperationException($"anvil exited with {process.ExitCode}: {stderr}");
                    }
                }

                try
                {
                    if (await node.Rpc.ChainIdAsync() == ChainId)
                    {
                        return node;
                    }
                }
                catch (ChainNodeUnreachableException)
                {
                    // not listening yet
                }

                if (DateTime.UtcNow > deadline)
                {
                    await node.DisposeAsync();
                    throw new TimeoutException($"anvil did not answer on {node.Endpoint} within {StartPatience}.");
                }

                await Task.Yield();
            }
        }
    }

    /// <summary>Account <paramref name="index"/> of the mnemonic (0 deploys, 1 anchors, 2 governs, 3+ operators).</summary>
    public EvmWallet Wallet(int index)
    {
        var wallet = EvmWallet.FromMnemonic(Mnemonic, "", index);
        lock (_wallets)
        {
            _wallets.Add(wallet);
        }

        return wallet;
    }

    /// <summary>A sender for account <paramref name="index"/>; one confirmation unless told, since anvil mines only on demand.</summary>
    public TransactionSender Sender(int index, TransactionSenderOptions? options = null, TimeProvider? time = null) =>
        new(Rpc, Wallet(index), options ?? new TransactionSenderOptions { Confirmations = 1, PollInterval = TimeSpan.FromMilliseconds(10) }, time);

    public Task<JsonNode?> SendAsync(string method, params JsonNode?[] parameters) => Rpc.RequestAsync(method, parameters);

    public Task MineAsync() => SendAsync("evm_mine");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
        _http.Dispose();
        lock (_wallets)
        {
            foreach (var wallet in _wallets)
            {
                wallet.Dispose();
            }
        }
    }
}
