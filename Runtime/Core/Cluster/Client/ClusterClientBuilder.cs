using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Catalog;

namespace NexusOrleans.Runtime.Cluster.Client;

/// <summary>Configures a <see cref="ClusterClient"/>: which grain types it calls by key, and its endpoint.</summary>
public sealed class ClusterClientBuilder
{
    internal ClusterClientBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    internal Action<ClusterOptions>? ConfigureOptions { get; private set; }

    /// <summary>
    /// Lets <see cref="IGrainFactory.GetGrain{TGrainInterface}(string)"/> address grains of class <typeparamref name="TGrain"/>:
    /// the client learns its grain type (<c>[GrainType]</c>) and interfaces, and never activates it.
    /// </summary>
    public ClusterClientBuilder AddGrainType<TGrain>()
        where TGrain : Grain
    {
        Services.AddSingleton(new ClientGrainTypeRegistration(typeof(TGrain)));
        return this;
    }

    /// <summary>The same for every concrete grain class of <paramref name="assembly"/>.</summary>
    public ClusterClientBuilder AddGrainTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes().Where(type => type.IsClass && !type.IsAbstract && !type.IsGenericTypeDefinition && typeof(Grain).IsAssignableFrom(type)))
        {
            Services.AddSingleton(new ClientGrainTypeRegistration(type));
        }

        return this;
    }

    /// <summary>Sets where this process listens for observer calls from silos.</summary>
    public ClusterClientBuilder Configure(Action<ClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ConfigureOptions += configure;
        return this;
    }
}

/// <summary>A grain class whose type name and interfaces a client needs to address it.</summary>
internal sealed record ClientGrainTypeRegistration(Type GrainClass);
