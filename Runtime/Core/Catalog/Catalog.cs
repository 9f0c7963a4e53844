using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Invocation;
using NexusOrleans.Runtime.Observers;
using NexusOrleans.Runtime.Reminders;
using NexusOrleans.Runtime.State;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Runtime.Catalog;

/// <summary>
/// The silo's directory of activations and the sink every grain call goes through.
/// </summary>
/// <remarks>
/// A call first tries the activation its reference delivered to last time; if that activation is gone (it refuses), the
/// call is routed through the dictionary, which creates an activation on first use. Activations remove themselves
/// before they start refusing calls, so the routing loop always ends.
/// While the silo stops (<see cref="SiloPhase.Draining"/>) calls from outside are refused with
/// <see cref="SiloUnavailableException"/>, but grain code may still call grains, so turns in flight can finish.
/// A grain is activated only while this silo serves its partition (<see cref="RefuseUnlessPartitionIsLocal"/>); when the
/// silo loses partitions, <see cref="DeactivatePartitionsAsync"/> deactivates their activations.
/// </remarks>
internal sealed partial class Catalog : IGrainCallSink
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();
    private readonly GrainTypeRegistry _types;
    private readonly ObserverRegistry _observers;
    private readonly CancellationTokenSource _stopping = new();
    private volatile SiloPhase _phase = SiloPhase.Created;

    public Catalog(
        IServiceProvider services,
        GrainTypeRegistry types,
        ObserverRegistry observers,
        PersistentStateFactory stateFactory,
        IPartitionDirectory partitions,
        TimeProvider timeProvider,
        GrainRuntimeOptions options,
        RuntimeMetrics metrics,
        ILogger logger)
    {
        Metrics = metrics;
        Services = services;
        _types = types;
        _observers = observers;
        StateFactory = stateFactory;
        Partitions = partitions;
        TimeProvider = timeProvider;
        Options = options;
        Logger = logger;
        GrainFactory = new GrainFactory(this, types, observers);
    }

    public IServiceProvider Services { get; }

    public GrainFactory GrainFactory { get; }

    public PersistentStateFactory StateFactory { get; }

    public IPartitionDirectory Partitions { get; }

    public TimeProvider TimeProvider { get; }

    public GrainRuntimeOptions Options { get; }

    public ILogger Logger { get; }

    public RuntimeMetrics Metrics { get; }

    /// <summary>Set once at start-up (the reminder service needs the grain factory, so it is created after the catalog).</summary>
    public ReminderService ReminderService { get; set; } = null!;

    public SiloPhase Phase => _phase;

    /// <summary>Cancelled when the shutdown deadline passes; handed to activation and deactivation hooks.</summary>
    public CancellationToken StoppingToken => _stopping.Token;

    public int Count => _activations.Count;

    /// <summary>Enumerates live activations without copying the directory.</summary>
    public IEnumerable<Activation> Activations
    {
        get
        {
            foreach (var entry in _activations)
            {
                yield return entry.Value;
            }
        }
    }

    public void Start() => _phase = SiloPhase.Running;

    public void Send(GrainReference target, GrainRequest request)
    {
        CallTracing.Capture(request);
        if (_phase != SiloPhase.Running && !MayCallWhileStopping())
        {
            request.Fail(Unavailable());
            return;
        }

        if (target.RouteCache is Activation cached && cached.TryEnqueue(request))
        {
            return;
        }

        Route(target.GrainId, request, target);
    }

    /// <summary>Delivers a call that an activation had queued when it went away.</summary>
    public void Forward(GrainId grainId, GrainRequest request)
    {
        if (_phase == SiloPhase.Stopped)
        {
            request.Fail(Unavailable());
            return;
        }

        Route(grainId, request, reference: null);
    }

    public void Remove(Activation activation)
        => _activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation));

    /// <summary>
    /// Deactivates every activation of the given partitions (the silo lost them), each before its queued calls, which are
    /// then refused as not owned here. Completes when all of them are gone.
    /// </summary>
    public Task DeactivatePartitionsAsync(IReadOnlyCollection<int> partitions)
    {
        var lost = partitions.ToHashSet();
        return Task.WhenAll(_activations.Values
            .Where(activation => lost.Contains(Partitions.PartitionOf(activation.GrainId)))
            .Select(activation => activation.DeactivateForPartitionLossAsync())
            .ToArray());
    }

    /// <summary>
    /// Graceful shutdown: refuse outside calls, deactivate every activation after the calls it already accepted, and
    /// repeat while deactivation hooks activate other grains, until the catalog is empty or the deadline passes.
    /// </summary>
    public async Task DeactivateAllAsync(CancellationToken deadline)
    {
        _phase = SiloPhase.Draining;
        using var registration = deadline.Register(static state => ((CancellationTokenSource)state!).Cancel(), _stopping);
        try
        {
            while (!_activations.IsEmpty)
            {
                var remaining = _activations.Values.Select(activation => activation.DeactivateForShutdownAsync()).ToArray();
                await Task.WhenAll(remaining).WaitAsync(deadline);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            LogShutdownDeadlinePassed(Logger, _activations.Count, string.Join(", ", _activations.Keys.Take(5)));
            foreach (var activation in _activations.Values)
            {
                activation.Abandon();
            }
        }
        finally
        {
            _phase = SiloPhase.Stopped;
        }
    }

    private void Route(GrainId grainId, GrainRequest request, GrainReference? reference)
    {
        if (grainId.Type == GrainType.Observer)
        {
            RouteObserver(grainId, request);
            return;
        }

        if (TryRouteRemote(grainId, request))
        {
            return;
        }

        // The partition can move between the router's lookup and the catalog's: a call made in this process then
        // follows it (a call from another process is refused instead, which its sender turns into a redirect).
        RouteLocal(grainId, request, reference, forwardWhenMoved: true);
    }

    private void RouteLocal(GrainId grainId, GrainRequest request, GrainReference? reference, bool forwardWhenMoved = false)
    {
        if (!_types.TryGetClass(grainId.Type, out var grainClass))
        {
            request.Fail(new InvalidOperationException($"No grain class with grain type '{grainId.Type}' is registered in this silo, so {grainId} cannot be called."));
            return;
        }

        if (RefuseUnlessPartitionIsLocal(grainId, request, forwardWhenMoved))
        {
            return;
        }

        while (true)
        {
            var activation = _activations.GetOrAdd(
                grainId,
                static (id, state) => new Activation(state.Catalog, state.Class, id),
                (Catalog: this, Class: grainClass));
            if (activation.TryEnqueue(request))
            {
                if (reference is not null)
                {
                    reference.RouteCache = activation;
                }

                return;
            }
        }
    }

    /// <summary>
    /// Fails the call with <see cref="NotPartitionOwnerException"/> (carrying who owns the partition, as far as this silo
    /// knows) when this silo does not serve the grain's partition, so no activation is created here; or, with
    /// <paramref name="forwardWhenMoved"/> in a cluster, forwards it to the owner. Returns true then.
    /// </summary>
    private bool RefuseUnlessPartitionIsLocal(GrainId grainId, GrainRequest request, bool forwardWhenMoved)
    {
        var owner = Partitions.Lookup(grainId);
        if (owner.IsLocal)
        {
            return false;
        }

        if (forwardWhenMoved && _cluster is { } cluster)
        {
            cluster.Forward(grainId, request);
            return true;
        }

        request.Fail(new NotPartitionOwnerException(grainId, owner));
        return true;
    }

    private bool MayCallWhileStopping() => _phase == SiloPhase.Draining && SynchronizationContext.Current is Activation;

    private SiloUnavailableException Unavailable() => _phase switch
    {
        SiloPhase.Created => new SiloUnavailableException("The silo has not started yet; retry once it is ready."),
        _ => new SiloUnavailableException("The silo is shutting down and takes no new calls; retry on another silo or after it restarts."),
    };

    [LoggerMessage(EventId = 2401, Level = LogLevel.Error, Message = "Shutdown deadline passed with {Count} activations not deactivated (first: {GrainIds}); their queued calls fail")]
    private static partial void LogShutdownDeadlinePassed(ILogger logger, int count, string grainIds);
}

/// <summary>Where a silo is in its life.</summary>
public enum SiloPhase
{
    /// <summary>Not started: calls are refused.</summary>
    Created,

    /// <summary>Serving calls.</summary>
    Running,

    /// <summary>Shutting down: outside calls are refused, grains finish their work and deactivate.</summary>
    Draining,

    /// <summary>Stopped: every call is refused.</summary>
    Stopped,
}
