using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Cluster.Serialization;
using NexusOrleans.Runtime.Cluster.Transport;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// This process's part in the cluster's calls: the listener for calls from others, the connections to them, and the
/// router deciding where calls go. A silo and a client each have one; they differ only in the sink that grain
/// references in arguments bind to and in how a call arriving here is delivered.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly ClusterListener _listener;
    private readonly ConnectionPool _connections;

    public ClusterNode(
        SiloAddress local,
        IPartitionDirectory directory,
        IGrainCallSink sink,
        LocalDelivery deliver,
        ClusterOptions options,
        TimeProvider timeProvider,
        ILogger logger)
    {
        var serializer = new CallSerializer(sink);
        _connections = new ConnectionPool(options, timeProvider, logger);
        Router = new ClusterRouter(local, directory, _connections, serializer, options, logger);
        _listener = new ClusterListener(local, new InboundCalls(deliver, serializer, logger), options, logger);
    }

    public ClusterRouter Router { get; }

    public SiloAddress Local => Router.Local;

    /// <summary>Starts accepting calls from other processes.</summary>
    public void Start() => _listener.Start();

    /// <summary>Closes incoming and outgoing connections; calls still waiting for an answer fail as interrupted.</summary>
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _connections.DisposeAsync().ConfigureAwait(false);
    }
}
