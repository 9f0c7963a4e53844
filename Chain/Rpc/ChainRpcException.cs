using NexusOrleans.Chain.Serialization;

namespace NexusOrleans.Chain.Rpc;

/// <summary>
/// The node answered a JSON-RPC request with an error object. <see cref="Code"/> and <see cref="RpcMessage"/> are the
/// node's; <see cref="RevertData"/> is the revert data when the node says the call reverted (geth and anvil put it in
/// <c>error.data</c> as hex, code 3) — decode it with the contract's ABI.
/// </summary>
public sealed class ChainRpcException : Exception
{
    public ChainRpcException(string method, int code, string rpcMessage, string? data)
        : base($"{method} failed: RPC error {code}: {rpcMessage}")
    {
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        Data = data;
        RevertData = data is { Length: >= 10 } && data.StartsWith("0x", StringComparison.Ordinal) && data.Length % 2 == 0
            ? TryDecode(data)
            : null;
    }

    public string Method { get; }

    public int Code { get; }

    public string RpcMessage { get; }

    public new string? Data { get; }

    public byte[]? RevertData { get; }

    /// <summary>The node refused a transaction whose nonce is already used (every major node says "nonce too low").</summary>
    public bool IsNonceTooLow => RpcMessage.Contains("nonce too low", StringComparison.OrdinalIgnoreCase);

    /// <summary>The node already has exactly this transaction ("already known" in geth, "already imported" in anvil).</summary>
    public bool IsAlreadyKnown =>
        RpcMessage.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || RpcMessage.Contains("already imported", StringComparison.OrdinalIgnoreCase);

    private static byte[]? TryDecode(string hex)
    {
        try
        {
            return Hex.Decode(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>The node could not be reached (connection refused, DNS, timeout) or did not answer with JSON-RPC.</summary>
public sealed class ChainNodeUnreachableException(Uri endpoint, string method, string reason, Exception? inner = null)
    : Exception($"The EVM node at {endpoint} could not be reached for {method}: {reason}", inner)
{
    public Uri Endpoint { get; } = endpoint;

    public string Method { get; } = method;
}
