using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NexusOrleans.Chain;
using NexusOrleans.Chain.Rpc;

namespace NexusOrleans.Grains.Relays.Stake;

/// <summary>Switches the relay check from the ledger to RelayStaking on chain when a chain is configured.</summary>
public static class ChainStakeServiceCollectionExtensions
{
    /// <summary>
    /// With both <c>Chain:Rpc:Endpoint</c> and <c>Chain:Contracts:Staking</c> set in <paramref name="configuration"/>,
    /// relay registration and heartbeats read the operator's stake from RelayStaking (<see cref="ChainOperatorStake"/>,
    /// answers cached for <c>Chain:StakeCheck:CacheFor</c>); otherwise nothing changes and the ledger decides. Call it
    /// before or after <c>AddRelays</c>. The JSON-RPC client is the shared singleton of <c>AddChainClient</c>.
    /// </summary>
    public static IServiceCollection AddOnChainStakeCheck(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[$"{ChainRpcOptions.SectionName}:Endpoint"])
            || string.IsNullOrWhiteSpace(configuration[ChainStakeCheckOptions.StakingKey]))
        {
            return services;
        }

        services.AddOptions<ChainRpcOptions>().BindConfiguration(ChainRpcOptions.SectionName);
        services.AddChainClient();
        services.AddOptions<ChainStakeCheckOptions>()
            .BindConfiguration(ChainStakeCheckOptions.SectionName)
            .Configure(options => options.Staking = configuration[ChainStakeCheckOptions.StakingKey]?.Trim())
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChainStakeCheckOptions>, ChainStakeCheckOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<IOperatorStake>();
        services.AddSingleton<IOperatorStake, ChainOperatorStake>();
        return services;
    }
}
