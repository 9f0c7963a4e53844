using System.ComponentModel.DataAnnotations;

namespace NexusOrleans.Chain.Rpc;

/// <summary>Where the EVM node is and how long one request may take.</summary>
public sealed class ChainRpcOptions
{
    public const string SectionName = "Chain:Rpc";

    /// <summary>The node's HTTP JSON-RPC endpoint, e.g. http://127.0.0.1:8545.</summary>
    [Required]
    public Uri? Endpoint { get; set; }

    /// <summary>One request's limit; past it the node counts as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
