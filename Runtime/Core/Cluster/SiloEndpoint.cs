using Microsoft.Extensions.Options;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>This process's address in the cluster: where others reach it, and which incarnation it is.</summary>
public sealed class SiloEndpoint(IOptions<ClusterOptions> options, TimeProvider timeProvider)
{
    /// <summary>Host and port from <see cref="ClusterOptions"/>; the generation configured, or the start time in ms.</summary>
    public SiloAddress Address { get; } = new(
        options.Value.Host,
        options.Value.Port,
        options.Value.Generation != 0 ? options.Value.Generation : timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
}
