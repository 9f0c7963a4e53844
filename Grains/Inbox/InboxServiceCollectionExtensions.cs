using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Inbox;

/// <summary>Registers what the inbox grains need from the host.</summary>
public static class InboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="InboxOptions"/>, bound to the <c>Inbox</c> configuration section and validated when the host
    /// starts; <paramref name="configure"/> runs after the binding.
    /// </summary>
    public static IServiceCollection AddInbox(this IServiceCollection services, Action<InboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboxOptions>, InboxOptionsValidator>());
        services.TryAddSingleton<Network.NetworkUnreadAge>();
        services.AddMetrics();
        services.TryAddSingleton<InboxMetrics>();
        return services;
    }
}
