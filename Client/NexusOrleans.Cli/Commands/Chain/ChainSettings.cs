using System.CommandLine;
using System.Text.Json;

namespace NexusOrleans.Cli.Commands.Chain;

/// <summary>The deployment <c>node contracts/deploy-local.mjs</c> prints as one JSON line: chain id and the three addresses.</summary>
internal sealed record ContractAddresses(ulong ChainId, string Token, string Staking, string Distributor)
{
    /// <summary>Reads the file; a missing file, bad JSON or missing address is an <see cref="ArgumentException"/> naming it.</summary>
    public static ContractAddresses Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new ArgumentException($"The contracts file {file.FullName} does not exist; save the JSON line `node contracts/deploy-local.mjs` prints into it.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file.FullName));
            var root = document.RootElement;
            var chainId = root.GetProperty("chainId");
            return new ContractAddresses(
                chainId.ValueKind == JsonValueKind.Number ? chainId.GetUInt64() : ulong.Parse(chainId.GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                Address(root, "token"),
                Address(root, "staking"),
                Address(root, "distributor"));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new ArgumentException($"The contracts file {file.FullName} is not the JSON line deploy-local.mjs prints (with chainId, token, staking and distributor): {exception.Message}");
        }
    }

    private static string Address(JsonElement root, string name)
    {
        var text = root.GetProperty(name).GetString();
        _ = Protocol.Settlement.AbiEncoder.ParseAddress(text!, name);
        return text!;
    }
}

/// <summary>
/// Where the chain commands find the chain: <c>--rpc URL</c> or <c>ICHAT_CHAIN_RPC</c> (default the local anvil,
/// http://127.0.0.1:8545), and <c>--contracts FILE</c> or <c>ICHAT_CHAIN_CONTRACTS</c>, the JSON line of the deployment.
/// Options win over environment variables.
/// </summary>
internal sealed class ChainSettings
{
    public const string RpcVariable = "ICHAT_CHAIN_RPC";
    public const string ContractsVariable = "ICHAT_CHAIN_CONTRACTS";
    public const string DefaultRpc = "http://127.0.0.1:8545";

    public Option<string?> Rpc { get; } = new("--rpc")
    {
        Description = $"The chain node's JSON-RPC URL (default: the {RpcVariable} environment variable, else {DefaultRpc}).",
        Recursive = true,
    };

    public Option<FileInfo?> Contracts { get; } = new("--contracts")
    {
        Description = $"File with the JSON line `node contracts/deploy-local.mjs` printed: chain id and contract addresses (default: the {ContractsVariable} environment variable).",
        Recursive = true,
    };

    public Uri RpcUrl(ParseResult result)
    {
        var text = result.GetValue(Rpc) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(RpcVariable) is { Length: > 0 } variable ? variable : DefaultRpc;
        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"The chain RPC URL '{text}' is not an http:// or https:// URL (such as {DefaultRpc}); pass it with --rpc or {RpcVariable}.");
    }

    public ContractAddresses Addresses(ParseResult result)
    {
        var file = result.GetValue(Contracts)
                   ?? (Environment.GetEnvironmentVariable(ContractsVariable) is { Length: > 0 } path ? new FileInfo(path) : null)
                   ?? throw new ArgumentException($"No contracts: pass --contracts FILE or set {ContractsVariable} to the file holding the JSON line `node contracts/deploy-local.mjs` printed.");
        return ContractAddresses.Read(file);
    }
}
