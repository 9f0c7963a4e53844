using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NexusOrleans.Chain;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Grains.Anchoring;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Silo.Chain;

/// <summary>The silo's link to the chain: on when <c>Chain:Rpc:Endpoint</c> is set, and then anchoring every closed epoch.</summary>
public static class ChainSiloExtensions
{
    /// <summary>
    /// When <c>Chain:Rpc:Endpoint</c> is set: the chain client (<c>Chain:Rpc:*</c>, <c>Chain:Sender:*</c>), the contracts
    /// (<c>Chain:Contracts:*</c>), the anchor account's key (<c>Chain:Anchor:KeyFile</c> or <c>Chain:Anchor:Key</c>), all
    /// validated at start, and anchoring (<c>Chain:Anchoring:*</c>) with its readiness check. Otherwise nothing.
    /// The client pieces are added with TryAdd, so another extension may register them too.
    /// </summary>
    public static WebApplicationBuilder AddChainAnchoring(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{ChainRpcOptions.SectionName}:{nameof(ChainRpcOptions.Endpoint)}"]))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddChainClient();
        services.AddOptions<ChainRpcOptions>().BindConfiguration(ChainRpcOptions.SectionName);
        services.AddOptions<TransactionSenderOptions>().BindConfiguration(TransactionSenderOptions.SectionName);
        services.AddOptions<ChainContractsOptions>().BindConfiguration(ChainContractsOptions.SectionName).ValidateOnStart();
        services.AddOptions<AnchorAccountOptions>().BindConfiguration(AnchorAccountOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChainContractsOptions>, ChainContractsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnchorAccountOptions>, AnchorAccountOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            var rpc = provider.GetRequiredService<EthRpcClient>();
            var contracts = provider.GetRequiredService<IOptions<ChainContractsOptions>>().Value;
            return new RewardDistributorContract(rpc, contracts.Distributor!.Trim());
        });
        services.TryAddSingleton(provider =>
        {
            var rpc = provider.GetRequiredService<EthRpcClient>();
            var contracts = provider.GetRequiredService<IOptions<ChainContractsOptions>>().Value;
            return new RelayStakingContract(rpc, contracts.Staking!.Trim());
        });
        services.TryAddSingleton(provider =>
        {
            var (key, problem) = provider.GetRequiredService<IOptions<AnchorAccountOptions>>().Value.Read();
            if (key is null)
            {
                throw new OptionsValidationException(AnchorAccountOptions.SectionName, typeof(AnchorAccountOptions), [problem!]);
            }

            EvmWallet wallet;
            try
            {
                wallet = EvmWallet.FromPrivateKey(key);
            }
            catch (ArgumentException)
            {
                throw new OptionsValidationException(AnchorAccountOptions.SectionName, typeof(AnchorAccountOptions), [$"{AnchorAccountOptions.SectionName}: the key is not a valid secp256k1 private key."]);
            }
            finally
            {
                Array.Clear(key);
            }

            var sender = new TransactionSender(
                provider.GetRequiredService<EthRpcClient>(),
                wallet,
                provider.GetRequiredService<IOptions<TransactionSenderOptions>>().Value,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<TransactionSender>>());
            var chain = new AnchorChain(sender, provider.GetRequiredService<RewardDistributorContract>(), provider.GetRequiredService<RelayStakingContract>());
            var endpoint = provider.GetRequiredService<IOptions<ChainRpcOptions>>().Value.Endpoint!;
            ChainSiloLog.AnchoringEnabled(provider.GetRequiredService<ILoggerFactory>().CreateLogger("NexusOrleans.Silo.Chain"), sender.Address, chain.Distributor.Address, chain.Staking.Address, endpoint);
            return chain;
        });
        services.AddAnchoring();
        services.AddHealthChecks().AddCheck<AnchorBacklogHealthCheck>("anchoring", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}
