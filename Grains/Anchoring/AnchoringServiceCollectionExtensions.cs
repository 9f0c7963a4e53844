using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>Registers the anchoring of closed epochs.</summary>
public static class AnchoringServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AnchoringOptions"/> (section <c>Chain:Anchoring</c>, validated at start), the backlog and its
    /// instruments, and the listener that hands every epoch the scheduler closes to its <see cref="IAnchorGrain"/>. The
    /// caller registers the <see cref="AnchorChain"/> (the anchor account's sender and the contracts). Epochs then settle
    /// on chain only (<see cref="EpochSettlement.Chain"/>): the ledger no longer mints rewards or takes slashes, so an
    /// epoch is paid once, by the claim.
    /// </summary>
    public static IServiceCollection AddAnchoring(this IServiceCollection services, Action<AnchoringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AnchoringOptions>().BindConfiguration(AnchoringOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnchoringOptions>, AnchoringOptionsValidator>());
        services.PostConfigure<EpochOptions>(epochs => epochs.Settlement = EpochSettlement.Chain);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AnchorBacklog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEpochClosedListener, AnchorOnClose>());
        return services;
    }
}

/// <summary>Hands a closed epoch to its anchor grain (idempotent: Start does nothing the second time).</summary>
internal sealed class AnchorOnClose(IGrainFactory grains) : IEpochClosedListener
{
    public Task EpochClosedAsync(string epoch, EpochBatch batch) => grains.GetGrain<IAnchorGrain>(epoch).Start();
}
