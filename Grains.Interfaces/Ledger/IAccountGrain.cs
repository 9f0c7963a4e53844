using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// One ledger account (key: see <see cref="LedgerAccounts"/>): a spendable balance and a stake, in base units.
/// Every movement names an entry id chosen by the caller; an id this account has applied before is not applied again
/// (<see cref="EntryStatus.AlreadyApplied"/>), so any operation may be retried, also across silo restarts. A movement
/// to another account debits here, durably, and then credits there under the same entry id; a credit not yet
/// delivered counts as <see cref="AccountSnapshot.Outgoing"/> until it is. Balances and stakes never go negative: a
/// debit larger than what is there is refused and changes nothing.
/// </summary>
/// <remarks>
/// Entry ids are 1 to <see cref="LedgerEntries.MaxIdLength"/> characters; amounts are base units and more than zero; a
/// counterparty is another valid account key. Anything else throws <see cref="ArgumentException"/> saying what is allowed.
/// A refused entry (insufficient balance or stake) is not recorded, so the same id may be tried again later. Applied means
/// the debit is stored; the call waits a few seconds at most (<c>Ledger:CreditWait</c>) for the credit, so the receiver
/// normally holds it on return, and otherwise it shows as <see cref="AccountSnapshot.Outgoing"/> until it lands. The
/// grain type is <c>account</c>.
/// </remarks>
public interface IAccountGrain : IGrain
{
    /// <summary>The account as stored now.</summary>
    [ReadOnly]
    Task<AccountSnapshot> GetAccount();

    /// <summary>
    /// Whether this account applied the entry <paramref name="entryId"/>: one of its own movements (transfer, stake,
    /// unstake, burn, slash), not a credit it received. A refused entry was not applied.
    /// </summary>
    /// <remarks>
    /// For a caller that must tell "applied before" from "applied before and then reversed by a later entry", such as a
    /// relay checking whether a fee it charged was refunded before charging the same message again.
    /// </remarks>
    [ReadOnly]
    Task<bool> HasApplied(string entryId);

    /// <summary>Moves <paramref name="amount"/> of the balance to the balance of account <paramref name="to"/>.</summary>
    Task<EntryResult> Transfer(string entryId, string to, UInt128 amount);

    /// <summary>Moves <paramref name="amount"/> of the balance into this account's stake.</summary>
    Task<EntryResult> Stake(string entryId, UInt128 amount);

    /// <summary>Moves <paramref name="amount"/> of the stake back to the balance.</summary>
    Task<EntryResult> Unstake(string entryId, UInt128 amount);

    /// <summary>Destroys <paramref name="amount"/> of the balance: the supply's burned total grows by it.</summary>
    Task<EntryResult> Burn(string entryId, UInt128 amount);

    /// <summary>
    /// Takes <paramref name="amount"/> of the stake as a penalty: to the balance of <paramref name="beneficiary"/> (the
    /// treasury, say), or burned when it is null.
    /// </summary>
    Task<EntryResult> Slash(string entryId, UInt128 amount, string? beneficiary);

    /// <summary>
    /// The receiving half of a movement that another account or the supply has already debited. Applied once per entry
    /// id. Only ledger grains call this; it is public because grain calls are.
    /// </summary>
    /// <param name="entryId">The credit id <c>{source}:{entry id}</c> (see <see cref="LedgerEntries.CreditId"/>).</param>
    /// <param name="amount">Base units, more than zero.</param>
    Task<EntryResult> Credit(string entryId, UInt128 amount);
}
