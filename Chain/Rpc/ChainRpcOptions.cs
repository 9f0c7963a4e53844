using Microsoft.Extensions.Options;

namespace NexusOrleans.Chain.Rpc;

/// <summary>Where the EVM node is and how long one request may take.</summary>
public sealed class ChainRpcOptions
{
    public const string SectionName = "Chain:Rpc";

    /// <summary>The node's HTTP JSON-RPC endpoint, e.g. http://127.0.0.1:8545.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>One request's limit; past it the node counts as unreachable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <see cref="ChainRpcOptions"/> at start-up.</summary>
public sealed class ChainRpcOptionsValidator : IValidateOptions<ChainRpcOptions>
{
    public ValidateOptionsResult Validate(string? name, ChainRpcOptions options)
    {
        var failures = new List<string>();
        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || endpoint.Scheme is not ("http" or "https"))
        {
            failures.Add($"{ChainRpcOptions.SectionName}:Endpoint must be an absolute http(s) URL of the node's JSON-RPC endpoint (got \"{options.Endpoint}\").");
        }

        if (options.RequestTimeout < TimeSpan.FromMilliseconds(100) || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{ChainRpcOptions.SectionName}:RequestTimeout must be between 100 ms and 10 minutes (got {options.RequestTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
