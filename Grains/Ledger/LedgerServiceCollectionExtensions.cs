using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Ledger;

/// <summary>Registers what the ledger grains need from the host.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LedgerOptions"/>, bound to the <c>Ledger</c> configuration section and validated when the host
    /// starts (<paramref name="configure"/> runs after the binding), and a hosted service that mints the genesis allocation
    /// (<see cref="LedgerOptions.Genesis"/>) once the silo runs. Call it after adding the grain runtime, so that service
    /// starts after the runtime.
    /// </summary>
    public static IServiceCollection AddLedger(this IServiceCollection services, Action<LedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>());
        services.AddHostedService<LedgerGenesisMinter>();
        return services;
    }
}
