using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NexusOrleans.Chain.Tests.Anvil;
using NexusOrleans.Grains;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Relays.Stake;
using NexusOrleans.OnChain.Tests.Support;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;

namespace NexusOrleans.OnChain.Tests;

/// <summary>Relay registration with a chain configured: RelayStaking decides, not the ledger.</summary>
[Trait("Category", "E2E")]
public sealed class OnChainStakeCheckTests(ChainFixture fixture) : IClassFixture<ChainFixture>, IAsyncDisposable
{
    private readonly List<IDisposable> _keys = [];
    private readonly List<TestSilo> _silos = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_BelowTheMinimumOnChain_IsRefusedEvenWithLedgerStake()
    {
        var op = await fixture.NewOperatorAsync();
        await fixture.Chain.FundAsync(op.Address, Tokens.Whole(1_000_000));
        Assert.Equal(0, (await op.ChainAsync("stake", "999999")).ExitCode);
        var silo = await StartSiloAsync(fixture.Rpc);
        await StakeInLedgerAsync(silo, op.Address, Tokens.Whole(2_000_000));

        var result = await silo.Grains.GetRelayOperator(op.Address).Register(Registration(op, silo.Clock));

        Assert.Equal(RelayRegistrationStatus.InsufficientStake, result.Status);
        Assert.Equal(
            $"Operator {op.Address} has 999999 iChat of active stake on chain (RelayStaking {fixture.Chain.Staking.Address}); a relay needs at least 1000000 iChat there (its minimumStake). Stake 1 iChat more on chain (ichat chain stake) and register again.",
            result.Reason);
        Assert.Empty(await silo.Grains.GetRelayDirectory().List());
    }

    [Fact]
    public async Task Register_AtTheMinimumOnChain_IsAcceptedWithNoLedgerStakeAndListedWithTheChainStake()
    {
        var op = await fixture.NewOperatorAsync();
        await fixture.Chain.FundAsync(op.Address, Tokens.Whole(1_000_000));
        Assert.Equal(0, (await op.ChainAsync("stake", "1000000")).ExitCode);
        var silo = await StartSiloAsync(fixture.Rpc);

        var result = await silo.Grains.GetRelayOperator(op.Address).Register(Registration(op, silo.Clock));

        Assert.Equal(RelayRegistrationStatus.Registered, result.Status);
        var listed = Assert.Single(await silo.Grains.GetRelayDirectory().List());
        Assert.Equal((op.Address.ToLowerInvariant(), Tokens.Whole(1_000_000)), (listed.Operator, listed.Stake));
    }

    [Fact]
    public async Task Register_ChainNodeDown_ThrowsARetryableErrorAndRegistersNothing()
    {
        var op = await fixture.NewOperatorAsync(eth: 0);
        var nowhere = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var silo = await StartSiloAsync(nowhere);
        await StakeInLedgerAsync(silo, op.Address, Tokens.Whole(1_000_000));

        var failure = await Assert.ThrowsAsync<OperatorStakeUnavailableException>(() => silo.Grains.GetRelayOperator(op.Address).Register(Registration(op, silo.Clock)));

        Assert.Equal(
            $"The stake of operator {op.Address} could not be read from RelayStaking {fixture.Chain.Staking.Address} on the chain node at {nowhere} (the node cannot be reached); nothing was registered. Ask again once the node answers (relays retry every heartbeat interval).",
            failure.Message);
        Assert.Empty((await silo.Grains.GetRelayOperator(op.Address).GetOperator()).Nodes);
        Assert.Contains(silo.Logs.Lines, line => line.EventId.Id == 4302);
    }

    [Fact]
    public async Task Heartbeat_ChainNodeGoneAfterRegistration_KeepsTheRelayListedWithTheLastKnownStake()
    {
        var chain = await DeployedChain.StartAsync();
        await using var stopChain = chain;
        var operatorSender = chain.Node.Sender(3);
        await chain.FundAsync(operatorSender.Address, Tokens.Whole(1_000_000));
        await chain.TokenContract.ApproveAsync(operatorSender, chain.Staking.Address, Tokens.Whole(1_000_000), Ct);
        await chain.Staking.StakeAsync(operatorSender, Tokens.Whole(1_000_000), Ct);
        var silo = await StartSiloAsync(chain.Node.Endpoint, chain.Staking.Address);
        var registration = Registration(chain.Node.Wallet(3), silo.Clock);
        var relayOperator = silo.Grains.GetRelayOperator(operatorSender.Address);
        Assert.Equal(RelayRegistrationStatus.Registered, (await relayOperator.Register(registration)).Status);

        await chain.Node.DisposeAsync();
        for (var beat = 0; beat < 12; beat++)
        {
            silo.Clock.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(HeartbeatStatus.Recorded, (await relayOperator.Heartbeat(registration.RelayKey)).Status);
        }

        var listed = Assert.Single(await silo.Grains.GetRelayDirectory().List());
        Assert.Equal((registration.RelayKey, Tokens.Whole(1_000_000)), (listed.RelayKey, listed.Stake));
        Assert.Contains(silo.Logs.Lines, line => line.EventId.Id == 4302);
    }

    [Fact]
    public async Task StakeCheck_AStakeChangeOnChain_IsSeenOnlyOnceCacheForHasPassed()
    {
        var op = await fixture.NewOperatorAsync();
        await fixture.Chain.FundAsync(op.Address, Tokens.Whole(1_000_000));
        var clock = new ManualTimeProvider();
        var check = new ChainOperatorStake(
            fixture.Chain.Node.Rpc,
            Options.Create(new ChainStakeCheckOptions { Staking = fixture.Chain.Staking.Address, CacheFor = TimeSpan.FromSeconds(30) }),
            clock,
            NullLogger<ChainOperatorStake>.Instance);
        var key = op.Address.ToLowerInvariant();
        Assert.False((await check.ReadAsync(null!, key, Ct)).ChainIsRelay);

        Assert.Equal(0, (await op.ChainAsync("stake", "1000000")).ExitCode);
        clock.Advance(TimeSpan.FromSeconds(29));
        var cached = await check.ReadAsync(null!, key, Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = await check.ReadAsync(null!, key, Ct);

        Assert.Equal((false, UInt128.Zero), (cached.ChainIsRelay, cached.Staked));
        Assert.Equal((true, Tokens.Whole(1_000_000), Tokens.Whole(1_000_000)), (fresh.ChainIsRelay, fresh.Staked, fresh.ChainMinimum));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    private async Task<TestSilo> StartSiloAsync(Uri rpc, string? staking = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chain:Rpc:Endpoint"] = rpc.ToString(),
            ["Chain:Rpc:RequestTimeout"] = "00:00:05",
            ["Chain:Contracts:Staking"] = staking ?? fixture.Chain.Staking.Address,
        }).Build();
        var silo = await TestSilo.StartAsync(
            builder => builder.AddGrains(typeof(GrainsAssembly).Assembly).UseInMemoryStorage(),
            services: services =>
            {
                services.AddSingleton<IConfiguration>(configuration);
                services.AddLedger().AddNetwork().AddRelays().AddOnChainStakeCheck(configuration);
            });
        _silos.Add(silo);
        return silo;
    }

    private static async Task StakeInLedgerAsync(TestSilo silo, string address, UInt128 amount)
    {
        var account = LedgerAccounts.Normalize(address);
        var entry = Guid.NewGuid().ToString("n");
        Assert.Equal(EntryStatus.Applied, (await silo.Grains.GetGrain<ISupplyGrain>(LedgerAccounts.Supply).Mint($"mint-{entry}", account, amount)).Status);
        Assert.Equal(EntryStatus.Applied, (await silo.Grains.GetGrain<IAccountGrain>(account).Stake($"stake-{entry}", amount)).Status);
    }

    private RelayRegistration Registration(ChainOperator op, TimeProvider clock)
    {
        var wallet = EvmWallet.FromMnemonic(op.Mnemonic);
        _keys.Add(wallet);
        return Registration(wallet, clock);
    }

    private RelayRegistration Registration(EvmWallet wallet, TimeProvider clock)
    {
        var relay = ChatKeys.FromMnemonic(Bip39.Generate());
        _keys.Add(relay);
        const string endpoint = "wss://relay.example.org/v1/ws";
        var at = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var message = RelayRegistrationMessage.Registration(wallet.Address, relay.Identity.ToString(), at, endpoint);
        return new RelayRegistration(wallet.Address, relay.Identity.ToString(), endpoint, at, wallet.SignPersonalMessage(message), relay.Sign(message));
    }
}
