using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Hosting;

/// <summary>Configures the grain runtime: which grain classes it hosts and where their state lives.</summary>
public sealed class GrainRuntimeBuilder
{
    internal GrainRuntimeBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for registering services grains depend on.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Hosts grains of class <typeparamref name="TGrain"/>.</summary>
    public GrainRuntimeBuilder AddGrain<TGrain>()
        where TGrain : Grain
    {
        Services.AddSingleton(new GrainClassRegistration(typeof(TGrain)));
        return this;
    }

    /// <summary>Hosts every concrete grain class of <paramref name="assembly"/>.</summary>
    public GrainRuntimeBuilder AddGrains(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes().Where(type => type.IsClass && !type.IsAbstract && !type.IsGenericTypeDefinition && typeof(Grain).IsAssignableFrom(type)))
        {
            Services.AddSingleton(new GrainClassRegistration(type));
        }

        return this;
    }

    /// <summary>Keeps grain state and reminders in the given provider; the last call wins.</summary>
    public GrainRuntimeBuilder UseStorage(Func<IServiceProvider, IStorageProvider> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Changes runtime settings.</summary>
    public GrainRuntimeBuilder Configure(Action<GrainRuntimeOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Makes this silo one of several: it listens for calls from other silos and clients, forwards calls for grains
    /// whose partition another silo owns, and lets other processes call its observers. An
    /// <see cref="Cluster.IPartitionDirectory"/> must be registered too.
    /// </summary>
    public GrainRuntimeBuilder UseCluster(Action<ClusterOptions>? configure = null)
    {
        Services.AddClusterEndpoint(configure);
        return this;
    }

    /// <summary>Changes reminder settings.</summary>
    public GrainRuntimeBuilder ConfigureReminders(Action<ReminderOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }
}
