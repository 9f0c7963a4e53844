using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Support;

/// <summary>
/// Base of the relay operator and directory tests: <see cref="NetworkSiloTest"/> plus the ledger and relay settings,
/// operators with real wallets and relay keys, and stake minted and staked through the ledger's own grains.
/// </summary>
public abstract class RelaySiloTest : NetworkSiloTest
{
    private readonly List<IDisposable> _keys = [];

    protected static readonly UInt128 MinimumStake = Tokens.Whole(1_000_000);

    protected static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    /// <summary>Changes the relay settings of the silos this test starts.</summary>
    protected Action<RelaysOptions>? Relays { get; set; }

    protected override void ConfigureServices(IServiceCollection services) => services.AddLedger().AddRelays(Relays);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    /// <summary>A new operator: a fresh mnemonic's wallet.</summary>
    protected TestOperator NewOperator()
    {
        var wallet = EvmWallet.FromMnemonic(Bip39.Generate());
        _keys.Add(wallet);
        return new TestOperator(wallet, this);
    }

    /// <summary>A new relay key.</summary>
    protected ChatKeys NewRelayKey()
    {
        var keys = ChatKeys.FromMnemonic(Bip39.Generate());
        _keys.Add(keys);
        return keys;
    }

    /// <summary>Mints <paramref name="amount"/> to <paramref name="address"/> in the ledger and stakes all of it.</summary>
    protected static async Task StakeAsync(TestSilo silo, string address, UInt128 amount)
    {
        var account = LedgerAccounts.Normalize(address);
        var entry = Guid.NewGuid().ToString("n");
        Assert.Equal(EntryStatus.Applied, (await silo.Grains.GetGrain<ISupplyGrain>(LedgerAccounts.Supply).Mint($"mint-{entry}", account, amount)).Status);
        Assert.Equal(EntryStatus.Applied, (await silo.Grains.GetGrain<IAccountGrain>(account).Stake($"stake-{entry}", amount)).Status);
    }

    protected static Task<IReadOnlyList<RelayDirectoryEntry>> LiveAsync(TestSilo silo) => silo.Grains.GetRelayDirectory().List();

    /// <summary>An operator's wallet, and the requests it signs.</summary>
    protected sealed class TestOperator(EvmWallet wallet, RelaySiloTest test)
    {
        public EvmWallet Wallet => wallet;

        /// <summary>The operator's address as the cluster keys it: lowercase.</summary>
        public string Address { get; } = wallet.Address.ToLowerInvariant();

        public IRelayOperatorGrain Grain(TestSilo silo) => silo.Grains.GetRelayOperator(wallet.Address);

        /// <summary>A registration signed by this operator and by the relay key, issued now unless said otherwise.</summary>
        public RelayRegistration Registration(ChatKeys relay, string endpoint = "wss://relay.example.org/v1/ws", DateTimeOffset? issuedAt = null)
        {
            var at = Milliseconds(issuedAt ?? test.Now);
            var message = RelayRegistrationMessage.Registration(wallet.Address, relay.Identity.ToString(), at, endpoint);
            return new RelayRegistration(wallet.Address, relay.Identity.ToString(), endpoint, at, wallet.SignPersonalMessage(message), relay.Sign(message));
        }

        /// <summary>An unregistration signed by this operator, issued now unless said otherwise.</summary>
        public RelayUnregistration Unregistration(ChatKeys relay, DateTimeOffset? issuedAt = null)
        {
            var at = Milliseconds(issuedAt ?? test.Now);
            var message = RelayRegistrationMessage.Unregistration(wallet.Address, relay.Identity.ToString(), at);
            return new RelayUnregistration(wallet.Address, relay.Identity.ToString(), at, wallet.SignPersonalMessage(message));
        }

        private static DateTimeOffset Milliseconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
    }
}
