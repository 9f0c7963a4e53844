using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.State;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Support;

/// <summary>
/// Base of the ledger tests: silos hosting the product's grains on a manual clock over one store (in-memory unless a
/// subclass picks SQLite or PostgreSQL) seen through <see cref="FaultyStorageProvider"/>, so a test can make a grain's
/// writes fail or wait. A silo started later in a test reopens the same store, which is how restarts are tested.
/// </summary>
public abstract class LedgerSiloTest : SiloTestBase, IAsyncLifetime
{
    protected static readonly GrainId SupplyId = new(GrainType.Create("supply"), LedgerAccounts.Supply);

    /// <summary>Faults on the state writes of every silo this test starts.</summary>
    protected StorageFaults Faults { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected Task<TestSilo> StartSiloAsync(Action<LedgerOptions>? ledger = null) =>
        StartSiloOnStoreAsync(
            builder => builder
                .AddGrains(typeof(GrainsAssembly).Assembly)
                .UseStorage(_ => new FaultyStorageProvider(CurrentStore.CreateProvider(), Faults)),
            services => services.AddLedger(ledger));

    protected static string NewAddress() => "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    protected static string NewEntryId() => Guid.NewGuid().ToString("N");

    protected static UInt128 Ichat(ulong whole) => Tokens.Whole(whole);

    protected static IAccountGrain Account(TestSilo silo, string key) => silo.Grains.GetGrain<IAccountGrain>(key);

    protected static ISupplyGrain Supply(TestSilo silo) => silo.Grains.GetGrain<ISupplyGrain>(LedgerAccounts.Supply);

    protected static GrainId AccountId(string key) => new(GrainType.Create("account"), key);

    /// <summary>Mints <paramref name="amount"/> to <paramref name="to"/> under a fresh entry id and checks it was applied.</summary>
    protected static async Task FundAsync(TestSilo silo, string to, UInt128 amount)
        => Assert.Equal(EntryStatus.Applied, (await Supply(silo).Mint(NewEntryId(), to, amount)).Status);

    /// <summary>(balance, stake, outgoing) of an account.</summary>
    protected static async Task<(UInt128 Balance, UInt128 Stake, UInt128 Outgoing)> AmountsAsync(TestSilo silo, string key)
    {
        var account = await Account(silo, key).GetAccount();
        return (account.Balance, account.Stake, account.Outgoing);
    }

    /// <summary>The stored state of a ledger grain, or null when none was written.</summary>
    protected static async Task<TState?> StoredStateAsync<TState>(TestSilo silo, GrainId grainId)
        where TState : class
        => await StorageOf(silo).GrainStorage.ReadAsync(grainId, "state", Ct) is { Payload: { } payload }
            ? silo.Host.Services.GetRequiredService<IGrainStateSerializer>().Deserialize<TState>(payload)
            : null;

    protected static Task<ReminderEntry?> StoredOutboxReminderAsync(TestSilo silo, GrainId grainId)
        => StorageOf(silo).Reminders.ReadAsync(grainId, AccountGrain.OutboxReminder, Ct);

    /// <summary>Waits until every listed account and the supply report nothing outgoing.</summary>
    protected static Task EventuallyNothingOutgoing(TestSilo silo, params string[] accounts) => Eventually(
        async () =>
        {
            foreach (var key in accounts)
            {
                if ((await Account(silo, key).GetAccount()).Outgoing != UInt128.Zero)
                {
                    return false;
                }
            }

            return (await Supply(silo).GetSupply()).Outgoing == UInt128.Zero;
        },
        "every credit is delivered and confirmed");
}
