using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Network;

/// <summary>Registers what the network parameters grain needs from the host.</summary>
public static class NetworkServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NetworkOptions"/>, bound to the <c>Network</c> configuration section and validated when the host
    /// starts; <paramref name="configure"/> runs after the binding.
    /// </summary>
    public static IServiceCollection AddNetwork(this IServiceCollection services, Action<NetworkOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidator>());
        return services;
    }
}
