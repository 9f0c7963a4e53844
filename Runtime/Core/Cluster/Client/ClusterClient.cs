using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Catalog;
using NexusOrleans.Runtime.Invocation;
using NexusOrleans.Runtime.Observers;

namespace NexusOrleans.Runtime.Cluster.Client;

/// <summary>
/// A grain factory for a process that hosts no grains (a gateway run apart from the silos): every grain call goes to
/// the silo the partition directory names, following redirects as a silo does, and observers created here are called
/// back over this process's own endpoint. Calls fail as silo calls do: <see cref="SiloUnavailableException"/> when
/// nothing ran, <see cref="CallInterruptedException"/> or <see cref="TimeoutException"/> when the outcome is unknown.
/// </summary>
public sealed partial class ClusterClient : IGrainFactory, IAsyncDisposable
{
    private readonly ObserverRegistry _observers = new();
    private readonly IPartitionDirectory _directory;
    private readonly ClusterNode _node;
    private readonly GrainFactory _factory;
    private readonly ILogger _logger;

    internal ClusterClient(
        SiloEndpoint endpoint,
        IPartitionDirectory directory,
        IEnumerable<ClientGrainTypeRegistration> grainTypes,
        IOptions<ClusterOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        _directory = directory;
        _logger = loggerFactory.CreateLogger("NexusOrleans.Runtime.Cluster.Client");
        _observers.Host = endpoint.Address;
        var sink = new ClientSink(this);
        _node = new ClusterNode(endpoint.Address, directory, sink, DeliverFromRemote, options.Value, timeProvider, _logger);
        _factory = new GrainFactory(sink, new GrainTypeRegistry(grainTypes.Select(registration => registration.GrainClass)), _observers);
    }

    /// <summary>This client's address, which observer references created here carry.</summary>
    public SiloAddress Address => _node.Local;

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrain
        => _factory.GetGrain<TGrainInterface>(key);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable
        => _factory.GetGrain<TGrainInterface>(grainId);

    /// <inheritdoc />
    public TObserver CreateObjectReference<TObserver>(IGrainObserver observer)
        where TObserver : IGrainObserver
        => _factory.CreateObjectReference<TObserver>(observer);

    /// <inheritdoc />
    public void DeleteObjectReference<TObserver>(TObserver reference)
        where TObserver : IGrainObserver
        => _factory.DeleteObjectReference(reference);

    /// <summary>Starts listening for observer calls.</summary>
    public void Start()
    {
        _node.Start();
        LogStarted(_logger, Address);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private void Send(GrainReference target, GrainRequest request)
    {
        var id = target.GrainId;
        if (id.Type != GrainType.Observer)
        {
            _node.Router.Forward(id, request);
        }
        else if (ObserverKey.HostOf(id) is { } host && host != Address)
        {
            _node.Router.SendToObserver(host, id, request);
        }
        else
        {
            _observers.Deliver(id, request);
        }
    }

    /// <summary>Observers are served here; a grain call is answered with a redirect, since a client owns no partition.</summary>
    private PartitionOwner? DeliverFromRemote(GrainId target, GrainRequest request)
    {
        if (target.Type != GrainType.Observer)
        {
            return _directory.Lookup(target) with { IsLocal = false };
        }

        _observers.Deliver(target, request);
        return null;
    }

    [LoggerMessage(EventId = 2640, Level = LogLevel.Information, Message = "Cluster client started as {Address}")]
    private static partial void LogStarted(ILogger logger, SiloAddress address);

    /// <summary>The sink the client's proxies deliver to; separate so the client's public surface is only a factory.</summary>
    private sealed class ClientSink(ClusterClient client) : IGrainCallSink
    {
        public void Send(GrainReference target, GrainRequest request) => client.Send(target, request);
    }
}
