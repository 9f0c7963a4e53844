using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Relays.Stake;

namespace NexusOrleans.OnChain.Tests;

/// <summary>Which stake source the silo composition ends up with, and what it refuses at start.</summary>
public sealed class ChainStakeRegistrationTests
{
    [Fact]
    public void AddOnChainStakeCheck_WithoutAChain_LeavesTheLedgerInCharge()
    {
        using var provider = Compose(new() { ["Chain:Contracts:Staking"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3" });

        Assert.IsType<LedgerOperatorStake>(provider.GetRequiredService<IOperatorStake>());
    }

    [Fact]
    public void AddOnChainStakeCheck_WithEndpointAndStaking_PutsRelayStakingInCharge()
    {
        using var provider = Compose(new() { ["Chain:Rpc:Endpoint"] = "http://127.0.0.1:8545", ["Chain:Contracts:Staking"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3", ["Chain:StakeCheck:CacheFor"] = "00:00:05" });

        Assert.IsType<ChainOperatorStake>(provider.GetRequiredService<IOperatorStake>());
        Assert.Equal(TimeSpan.FromSeconds(5), provider.GetRequiredService<IOptions<ChainStakeCheckOptions>>().Value.CacheFor);
        Assert.Same(provider.GetRequiredService<NexusOrleans.Chain.Rpc.EthRpcClient>(), provider.GetRequiredService<NexusOrleans.Chain.Rpc.EthRpcClient>());
    }

    [Fact]
    public void AddOnChainStakeCheck_ABadStakingAddress_FailsValidationNamingTheSetting()
    {
        using var provider = Compose(new() { ["Chain:Rpc:Endpoint"] = "http://127.0.0.1:8545", ["Chain:Contracts:Staking"] = "0x1234" });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChainStakeCheckOptions>>().Value);
        Assert.Contains("Chain:Contracts:Staking must be the RelayStaking contract's address, 0x and 40 hex characters (got '0x1234').", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddOnChainStakeCheck(configuration).AddRelays();
        return services.BuildServiceProvider();
    }
}
