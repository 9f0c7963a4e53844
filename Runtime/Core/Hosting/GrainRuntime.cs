using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Catalog;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Collection;
using NexusOrleans.Runtime.Observers;
using NexusOrleans.Runtime.Reminders;
using NexusOrleans.Runtime.State;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Telemetry;
using System.Diagnostics.Metrics;

namespace NexusOrleans.Runtime.Hosting;

/// <summary>
/// The grain runtime of one silo, wired together: grain types, catalog, observers, reminders, collector and storage.
/// The pieces depend on each other in a cycle (grains call the factory, the reminder service calls grains, activations
/// register reminders), so they are built here in order rather than each resolved from the container.
/// </summary>
internal sealed class GrainRuntime : ISiloStatus
{
    public GrainRuntime(
        IServiceProvider services,
        IEnumerable<GrainClassRegistration> grainClasses,
        IStorageProvider storage,
        IPartitionDirectory partitions,
        IGrainStateSerializer serializer,
        TimeProvider timeProvider,
        IOptions<GrainRuntimeOptions> options,
        IOptions<ReminderOptions> reminderOptions,
        RuntimeMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        Storage = storage;
        Partitions = partitions;
        Options = options.Value;
        Types = new GrainTypeRegistry(grainClasses.Select(registration => registration.GrainClass));
        Observers = new ObserverRegistry();
        Catalog = new Catalog.Catalog(
            services,
            Types,
            Observers,
            new PersistentStateFactory(new MeteredGrainStorage(storage.GrainStorage, metrics), serializer, partitions),
            partitions,
            timeProvider,
            Options,
            metrics,
            loggerFactory.CreateLogger("NexusOrleans.Runtime.Catalog"));
        Reminders = new ReminderService(
            storage.Reminders, Catalog.GrainFactory, partitions, timeProvider, reminderOptions.Value, loggerFactory.CreateLogger("NexusOrleans.Runtime.Reminders"));
        Catalog.ReminderService = Reminders;
        Collector = new ActivationCollector(Catalog, timeProvider, Options);

        // Lost partitions: their activations go (not awaited here; a graceful handoff awaits them through Drain).
        partitions.Changed += change =>
        {
            metrics.PartitionsMoved(change);
            if (change.Lost.Count > 0)
            {
                _ = Catalog.DeactivatePartitionsAsync(change.Lost);
            }
        };
        if (partitions is IClusterLifecycle cluster)
        {
            cluster.Drain = (lost, cancellationToken) => Catalog.DeactivatePartitionsAsync(lost).WaitAsync(cancellationToken);
        }

        Transport = CreateTransport(services, partitions, timeProvider, loggerFactory);
        ObserveRuntime(metrics);
    }

    /// <summary>Silo-to-silo calls; null when the silo runs alone (no <see cref="GrainRuntimeBuilder.UseCluster"/>).</summary>
    public ClusterNode? Transport { get; }

    public GrainRuntimeOptions Options { get; }

    public GrainTypeRegistry Types { get; }

    public ObserverRegistry Observers { get; }

    public Catalog.Catalog Catalog { get; }

    public ReminderService Reminders { get; }

    public ActivationCollector Collector { get; }

    public IStorageProvider Storage { get; }

    /// <summary>Which partitions this silo owns: every one on a single silo, its leases in a cluster.</summary>
    public IPartitionDirectory Partitions { get; }

    /// <summary>The directory's start and stop, when it has any (a cluster's does; a single silo's does nothing).</summary>
    public IClusterLifecycle? Cluster => Partitions as IClusterLifecycle;

    public IGrainFactory GrainFactory => Catalog.GrainFactory;

    public SiloPhase Phase => Catalog.Phase;

    public int ActivationCount => Catalog.Count;

    public string StorageName => Storage.Name;

    public string StorageLocation => Storage.Location;

    public Task CheckStorageAsync(CancellationToken cancellationToken) => Storage.CheckHealthAsync(cancellationToken);

    private void ObserveRuntime(RuntimeMetrics metrics)
    {
        metrics.ObserveActivations(() => Catalog.Activations
            .GroupBy(activation => activation.GrainId.Type.Name)
            .Select(group => new Measurement<long>(group.Count(), new KeyValuePair<string, object?>("grain_type", group.Key))));
        if (Partitions is PostgresPartitionDirectory directory)
        {
            metrics.ObserveMembers(() => directory.Members.Count(member => member.IsLive));
            metrics.ObserveOwnedPartitions(() => directory.ServingPartitions().Count);
        }
        else
        {
            metrics.ObserveMembers(() => 1);
            metrics.ObserveOwnedPartitions(() => Partitions.PartitionCount);
        }
    }

    private ClusterNode? CreateTransport(IServiceProvider services, IPartitionDirectory partitions, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        if (services.GetService<SiloEndpoint>() is not { } endpoint)
        {
            return null;
        }

        Observers.Host = endpoint.Address;
        var node = new ClusterNode(
            endpoint.Address,
            partitions,
            Catalog,
            Catalog.DeliverFromRemote,
            services.GetRequiredService<IOptions<ClusterOptions>>().Value,
            timeProvider,
            loggerFactory.CreateLogger("NexusOrleans.Runtime.Cluster"));
        Catalog.AttachCluster(node.Router);
        return node;
    }

    /// <summary>
    /// Opens storage (connects, creates or upgrades the schema); it is opened only once. A failure is reported as a
    /// <see cref="StorageUnavailableException"/> naming the store, and the next call tries again.
    /// </summary>
    public async Task OpenStorageAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Storage.InitializeAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not StorageUnavailableException and not OperationCanceledException)
        {
            throw new StorageUnavailableException(Storage.Name, Storage.Location, exception.Message, exception);
        }
    }
}

/// <summary>A grain class registered with the runtime.</summary>
internal sealed record GrainClassRegistration(Type GrainClass);
