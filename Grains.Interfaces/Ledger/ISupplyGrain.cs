using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// The token supply (key: <see cref="LedgerAccounts.Supply"/>): how much was ever minted and how much burned. The ledger's
/// invariant is minted = Σ balances + Σ stakes + burned + what is in transit between grains (debited, not yet credited).
/// </summary>
/// <remarks>The grain type is <c>supply</c>, and its only valid key is <see cref="LedgerAccounts.Supply"/>.</remarks>
public interface ISupplyGrain : IGrain
{
    /// <summary>Creates <paramref name="amount"/> new tokens in account <paramref name="to"/>, once per entry id.</summary>
    Task<EntryResult> Mint(string entryId, string to, UInt128 amount);

    /// <summary>The receiving half of a burn or a slash an account has already debited; counted once per entry id.</summary>
    /// <param name="entryId">The credit id <c>{account}:{entry id}</c> (see <see cref="LedgerEntries.CreditId"/>).</param>
    /// <param name="amount">Base units, more than zero.</param>
    Task<EntryResult> RecordBurn(string entryId, UInt128 amount);

    /// <summary>The totals as stored now.</summary>
    [ReadOnly]
    Task<SupplySnapshot> GetSupply();
}
