namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// What every ledger grain stores besides its amounts: the entries it applied, the credits it received, and the credits
/// it owes another grain but has not yet delivered (its outbox). Amounts are <see cref="UInt128"/> base units, stored as
/// JSON integers (System.Text.Json writes and reads every digit of a <see cref="UInt128"/>).
/// </summary>
public abstract class LedgerState
{
    /// <summary>Ids of the operations this grain applied (transfers, stakes, mints…), so a retry is not applied again.</summary>
    /// <remarks>Kept for ever: the ledger cannot know when a caller has stopped retrying. See the comment in LedgerGrain.cs.</remarks>
    public HashSet<string> Applied { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Ids of the credits this grain received (<c>{source}:{entry id}</c>), so a redelivery is not counted again.</summary>
    public HashSet<string> Received { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Credits debited here and not yet confirmed by their receiver, oldest first.</summary>
    public List<PendingCredit> Outbox { get; set; } = [];

    /// <summary>True while the outbox reminder is registered (set before it is needed, cleared only once the outbox is empty).</summary>
    public bool OutboxReminderRegistered { get; set; }
}

/// <summary>A credit owed to another ledger grain for an entry already debited here.</summary>
/// <param name="EntryId">The entry id as the caller named it; the receiver sees <c>{this grain's key}:{EntryId}</c>.</param>
/// <param name="To">The receiving account's key, or <see cref="LedgerAccounts.Supply"/> for a burn.</param>
/// <param name="Amount">Base units.</param>
public sealed record PendingCredit(string EntryId, string To, UInt128 Amount);

/// <summary>What an account stores (one JSON row).</summary>
public sealed class AccountState : LedgerState
{
    /// <summary>Spendable base units.</summary>
    public UInt128 Balance { get; set; }

    /// <summary>Staked base units.</summary>
    public UInt128 Stake { get; set; }
}

/// <summary>What the supply stores (one JSON row).</summary>
public sealed class SupplyState : LedgerState
{
    /// <summary>Base units ever minted.</summary>
    public UInt128 Minted { get; set; }

    /// <summary>Base units ever burned (burns and slashes without a beneficiary).</summary>
    public UInt128 Burned { get; set; }
}
