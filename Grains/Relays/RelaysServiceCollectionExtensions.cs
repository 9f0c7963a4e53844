using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Relays.Stake;

namespace NexusOrleans.Grains.Relays;

/// <summary>Registers what the relay operator and directory grains need from the host.</summary>
public static class RelaysServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RelaysOptions"/>, bound to the <c>Relays</c> configuration section and validated when the host
    /// starts; <paramref name="configure"/> runs after the binding. The relay grains also read the network parameters
    /// (<c>AddNetwork</c>) and the ledger's accounts; an operator's stake comes from the ledger unless
    /// <c>AddOnChainStakeCheck</c> put RelayStaking in its place.
    /// </summary>
    public static IServiceCollection AddRelays(this IServiceCollection services, Action<RelaysOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RelaysOptions>().BindConfiguration(RelaysOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RelaysOptions>, RelaysOptionsValidator>());
        services.TryAddSingleton<IOperatorStake, LedgerOperatorStake>();
        return services;
    }
}
