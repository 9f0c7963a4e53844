using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Chain.Tests.Sending;

public sealed class OptionsTests
{
    [Fact]
    public void TransactionSender_FeeBumpBelowTenPercent_IsRefusedAtConstruction()
    {
        using var http = new HttpClient();
        using var wallet = EvmWallet.FromPrivateKey(Enumerable.Repeat((byte)0x46, 32).ToArray());
        var rpc = new EthRpcClient(http, new Uri("http://127.0.0.1:1"));

        var failure = Assert.Throws<OptionsValidationException>(() => new TransactionSender(rpc, wallet, new TransactionSenderOptions { FeeBumpPercent = 5 }));

        Assert.Contains("FeeBumpPercent must be between 10 and 200", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransactionSenderOptions_Defaults_AreValid() =>
        Assert.True(new TransactionSenderOptionsValidator().Validate(null, new TransactionSenderOptions()).Succeeded);

    [Fact]
    public void AddChainClient_WithoutEndpoint_FailsValidationNamingTheSetting()
    {
        using var provider = new ServiceCollection().AddChainClient().BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChainRpcOptions>>().Value);

        Assert.Contains("Chain:Rpc:Endpoint", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddChainClient_WithEndpoint_ResolvesTheRpcClient()
    {
        using var provider = new ServiceCollection().AddChainClient(rpc => rpc.Endpoint = new Uri("http://127.0.0.1:8545")).BuildServiceProvider();

        Assert.Equal(new Uri("http://127.0.0.1:8545"), provider.GetRequiredService<EthRpcClient>().Endpoint);
    }

    [Fact]
    public void LogEventIds_OfTheChainClient_AreUniqueAndInTheirRange()
    {
        var events = typeof(TransactionSender).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (method.Name, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(entry => entry.Attribute is not null)
            .ToArray();

        Assert.NotEmpty(events);
        Assert.All(events, entry => Assert.InRange(entry.Attribute!.EventId, 4100, 4199));
        Assert.Equal(events.Length, events.Select(entry => entry.Attribute!.EventId).Distinct().Count());
    }
}
