using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;

namespace NexusOrleans.Chain;

/// <summary>Registers the chain client's options (validated at start) and the JSON-RPC client.</summary>
public static class ChainServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ChainRpcOptions"/> and <see cref="TransactionSenderOptions"/> with their validators (run at start)
    /// and a singleton <see cref="EthRpcClient"/>. The sender itself needs the account's key, so the host builds it
    /// (<c>new TransactionSender(rpc, wallet, options.Value, timeProvider, logger)</c>) where it holds the wallet.
    /// </summary>
    public static IServiceCollection AddChainClient(this IServiceCollection services, Action<ChainRpcOptions>? configureRpc = null, Action<TransactionSenderOptions>? configureSender = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var rpc = services.AddOptions<ChainRpcOptions>().ValidateOnStart();
        if (configureRpc is not null)
        {
            rpc.Configure(configureRpc);
        }

        var sender = services.AddOptions<TransactionSenderOptions>().ValidateOnStart();
        if (configureSender is not null)
        {
            sender.Configure(configureSender);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChainRpcOptions>, ChainRpcOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TransactionSenderOptions>, TransactionSenderOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ChainRpcOptions>>().Value;
            return new EthRpcClient(new HttpClient { Timeout = options.RequestTimeout }, options.Endpoint!);
        });
        return services;
    }
}
