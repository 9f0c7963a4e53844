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
        IGrainStateSerializer serializer,
        TimeProvider timeProvider,
        IOptions<GrainRuntimeOptions> options,
        IOptions<ReminderOptions> reminderOptions,
        ILoggerFactory loggerFactory)
    {
        Storage = storage;
        Options = options.Value;
        Types = new GrainTypeRegistry(grainClasses.Select(registration => registration.GrainClass));
        Observers = new ObserverRegistry();
        Catalog = new Catalog.Catalog(
            services,
            Types,
            Observers,
            new PersistentStateFactory(storage.GrainStorage, serializer),
            timeProvider,
            Options,
            loggerFactory.CreateLogger("NexusOrleans.Runtime.Catalog"));
        Reminders = new ReminderService(
            storage.Reminders, Catalog.GrainFactory, timeProvider, reminderOptions.Value, loggerFactory.CreateLogger("NexusOrleans.Runtime.Reminders"));
        Catalog.ReminderService = Reminders;
        Collector = new ActivationCollector(Catalog, timeProvider, Options);
        Cluster = CreateCluster(services, timeProvider, loggerFactory);
    }

    /// <summary>Silo-to-silo calls; null when the silo runs alone (no <see cref="GrainRuntimeBuilder.UseCluster"/>).</summary>
    public ClusterNode? Cluster { get; }

    public GrainRuntimeOptions Options { get; }

    public GrainTypeRegistry Types { get; }

    public ObserverRegistry Observers { get; }

    public Catalog.Catalog Catalog { get; }

    public ReminderService Reminders { get; }

    public ActivationCollector Collector { get; }

    public IStorageProvider Storage { get; }

    public IGrainFactory GrainFactory => Catalog.GrainFactory;

    public SiloPhase Phase => Catalog.Phase;

    public int ActivationCount => Catalog.Count;

    public string StorageName => Storage.Name;

    public string StorageLocation => Storage.Location;

    public Task CheckStorageAsync(CancellationToken cancellationToken) => Storage.CheckHealthAsync(cancellationToken);

    private ClusterNode? CreateCluster(IServiceProvider services, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        if (services.GetService<SiloEndpoint>() is not { } endpoint)
        {
            return null;
        }

        var directory = services.GetService<IPartitionDirectory>() ?? throw new InvalidOperationException(
            "UseCluster needs an IPartitionDirectory service to tell which silo owns which grains; register one (the PostgreSQL membership, or a fixed one in tests).");
        Observers.Host = endpoint.Address;
        var node = new ClusterNode(
            endpoint.Address,
            directory,
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
