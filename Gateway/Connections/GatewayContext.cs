using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Fees;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Gateway.RateLimiting;
using NexusOrleans.Gateway.Relay;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Gateway.Connections;

/// <summary>What every connection of this gateway shares: settings, the cluster (and its directory), the relay's keys, the limiters, the fees, the clock.</summary>
internal sealed class GatewayContext(
    IOptions<GatewayOptions> options,
    IGrainFactory grains,
    RelayIdentity relay,
    GatewayRateLimiters limiters,
    ConnectionRegistry connections,
    MessageFees fees,
    GatewayMetrics metrics,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    IPartitionDirectory? directory,
    TimeProvider clusterTime)
{
    public GatewayOptions Options { get; } = options.Value;

    public IGrainFactory Grains { get; } = grains;

    public RelayIdentity Relay { get; } = relay;

    public GatewayRateLimiters Limiters { get; } = limiters;

    public ConnectionRegistry Connections { get; } = connections;

    public MessageFees Fees { get; } = fees;

    public GatewayMetrics Metrics { get; } = metrics;

    public TimeProvider Time { get; } = timeProvider;

    /// <summary>Who owns which grains, to notice an inbox moving; null when the process was handed only a grain factory.</summary>
    public IPartitionDirectory? Directory { get; } = directory;

    /// <summary>The clock the cluster's view runs on (real time, as the database's), for checks that follow it.</summary>
    public TimeProvider ClusterTime { get; } = clusterTime;

    public ILogger Logger { get; } = loggerFactory.CreateLogger("NexusOrleans.Gateway");
}
