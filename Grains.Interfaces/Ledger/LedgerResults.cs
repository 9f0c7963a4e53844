namespace NexusOrleans.Grains.Ledger;

/// <summary>What became of a ledger operation.</summary>
public enum EntryStatus
{
    /// <summary>Applied now.</summary>
    Applied,

    /// <summary>An entry with this id was applied before; nothing changed this time.</summary>
    AlreadyApplied,

    /// <summary>The balance is smaller than the amount; nothing changed.</summary>
    InsufficientBalance,

    /// <summary>The stake is smaller than the amount; nothing changed.</summary>
    InsufficientStake,
}

/// <summary>The outcome of one ledger operation; <paramref name="Reason"/> says why when it was refused.</summary>
public sealed record EntryResult(EntryStatus Status, string EntryId, string? Reason = null)
{
    /// <summary>True when the entry now stands applied, whether by this call or an earlier one.</summary>
    public bool Succeeded => Status is EntryStatus.Applied or EntryStatus.AlreadyApplied;
}

/// <summary>One account: spendable balance, stake, and debits whose credit to another grain is not yet delivered.</summary>
/// <remarks>
/// <paramref name="Outgoing"/> counts a credit until this account has recorded that it landed: for the moment between the
/// receiver applying it and that record (longer when the record's write fails and a retry confirms it), the amount shows
/// both in the receiver's balance and here.
/// </remarks>
public sealed record AccountSnapshot(string Account, UInt128 Balance, UInt128 Stake, UInt128 Outgoing);

/// <summary>Totals of the supply: minted and burned, and mints whose credit is not yet delivered (counted as <see cref="AccountSnapshot.Outgoing"/> is).</summary>
public sealed record SupplySnapshot(UInt128 Minted, UInt128 Burned, UInt128 Outgoing);
