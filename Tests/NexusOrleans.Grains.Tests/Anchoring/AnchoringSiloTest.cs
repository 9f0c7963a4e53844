using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Chain.Tests.Anvil;
using NexusOrleans.Grains.Anchoring;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Tests.Epochs;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Anchoring;

/// <summary>
/// Base of the anchoring tests: a real anvil with the iChat contracts deployed (account 1 holds ANCHOR_ROLE), silos on
/// a manual clock over one SQLite file, epochs closed from recorded service, and the anchor grains sending through a
/// <see cref="TransactionSender"/> of account 1 built for each silo, as a restarted process would build its own.
/// </summary>
public abstract class AnchoringSiloTest : LedgerSiloTest
{
    protected static readonly DateTimeOffset Ten = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    protected const string Relay = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private DeployedChain? _chain;

    protected override StoreKind Store => StoreKind.Sqlite;

    private protected RecordedEpochInputs Inputs { get; } = new();

    protected DeployedChain Chain => _chain ?? throw new InvalidOperationException("The chain starts in InitializeAsync.");

    /// <summary>The operator of the tests' relay: anvil account 4, so it can claim on chain.</summary>
    protected string Operator => Chain.Node.Wallet(4).Address.ToLowerInvariant();

    protected static ulong TenOnChain => EpochKeys.ChainEpoch(Ten);

    /// <summary>The sender options of the next silo started.</summary>
    protected TransactionSenderOptions SenderOptions { get; set; } = new() { Confirmations = 1, PollInterval = TimeSpan.FromMilliseconds(10) };

    /// <summary>The sender's clock (the system's unless a test drives replacement on the manual clock).</summary>
    protected TimeProvider SenderClock { get; set; } = TimeProvider.System;

    /// <summary>Where the next silo's sender reaches the node (anvil itself unless a test puts a port in between).</summary>
    protected Uri? NodeEndpoint { get; set; }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _chain = await DeployedChain.StartAsync();
        MoveTo(Ten.AddMinutes(1));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_chain is not null)
        {
            await _chain.DisposeAsync();
        }
    }

    protected Task<TestSilo> StartAnchoringSiloAsync(Action<AnchoringOptions>? anchoring = null) =>
        StartSiloOnStoreAsync(
            builder => builder
                .AddGrains(typeof(GrainsAssembly).Assembly)
                .UseStorage(_ => new FaultyStorageProvider(CurrentStore.CreateProvider(), Faults)),
            services =>
            {
                services.AddSingleton(provider => Inputs.For(() => provider.GetRequiredService<IGrainFactory>()));
                services.AddLedger();
                services.AddEpochs();
                services.AddInbox();
                var rpc = NodeEndpoint is null ? Chain.Node.Rpc : new EthRpcClient(new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, NodeEndpoint);
                var sender = new TransactionSender(rpc, Chain.Node.Wallet(1), SenderOptions, SenderClock);
                services.AddSingleton(new AnchorChain(sender, new RewardDistributorContract(rpc, Chain.Distributor.Address), new RelayStakingContract(rpc, Chain.Staking.Address)));
                services.AddAnchoring(options =>
                {
                    options.RetryInitial = TimeSpan.FromSeconds(1);
                    options.RetryMax = TimeSpan.FromSeconds(8);
                    options.DegradedAfter = TimeSpan.FromMinutes(10);
                    anchoring?.Invoke(options);
                });
            });

    protected void MoveTo(DateTimeOffset instant) => Clock.Advance(instant - Clock.GetUtcNow());

    /// <summary>
    /// Stakes the operator in the ledger, records it serving 09:00–12:00 (with canaries mostly lost when
    /// <paramref name="severeLoss"/>, which slashes), moves past the close of 10:00 and closes it.
    /// </summary>
    protected async Task<EpochBatch> CloseTenAsync(TestSilo silo, bool severeLoss = false)
    {
        await FundAsync(silo, Operator, Ichat(1_000_000));
        Assert.Equal(EntryStatus.Applied, (await Account(silo, Operator).Stake(NewEntryId(), Ichat(1_000_000))).Status);
        Inputs.Served(Operator, Relay, Ten.AddHours(-1), Ten.AddHours(2));
        if (severeLoss)
        {
            Inputs.Quality(Relay, Ten, sent: 60, delivered: 10);
        }

        MoveTo(Ten.AddHours(1).AddMinutes(3));
        return await silo.Grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(Ten)).Close();
    }

    protected static IAnchorGrain Anchor(TestSilo silo) => silo.Grains.GetGrain<IAnchorGrain>(EpochKeys.Format(Ten));

    /// <summary>The anchoring as stored; read from storage, so it never waits for a turn that is waiting on the chain.</summary>
    protected static Task<AnchorGrainState?> StoredAnchorAsync(TestSilo silo) =>
        StoredStateAsync<AnchorGrainState>(silo, new GrainId(GrainType.Create("anchor"), EpochKeys.Format(Ten)));

    protected static Task EventuallyStored(TestSilo silo, Func<AnchorGrainState, bool> condition, string description) =>
        Eventually(async () => await StoredAnchorAsync(silo) is { } state && condition(state), description);

    protected static bool AllConfirmed(AnchorGrainState state) =>
        state.Steps.Count > 0 && state.Steps.All(step => step.State == AnchorState.Confirmed);

    /// <summary>The Anchored events on chain for the epoch of 10:00.</summary>
    protected async Task<IReadOnlyList<Chain.Abi.DecodedEvent>> AnchoredEventsAsync() =>
        [.. (await Chain.Distributor.GetEventsAsync("Anchored", cancellationToken: Ct)).Where(e => (System.Numerics.BigInteger)e.Arguments["epoch"] == TenOnChain)];

    protected static byte[] RootBytes(string root) => Convert.FromHexString(root[2..]);
}
