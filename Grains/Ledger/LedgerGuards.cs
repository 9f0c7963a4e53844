namespace NexusOrleans.Grains.Ledger;

/// <summary>Guard clauses of the ledger grains' entry points: each throws an <see cref="ArgumentException"/> saying what is allowed.</summary>
internal static class LedgerGuards
{
    private const string AccountKeyRule =
        $"\"{LedgerAccounts.Treasury}\" or an EVM address written as 0x followed by 40 lowercase hex characters (LedgerAccounts.Normalize converts any spelling)";

    public static void RequireAccountKey(string key)
    {
        if (!LedgerAccounts.IsValid(key))
        {
            throw new ArgumentException($"An account's key must be {AccountKeyRule}; got '{key}'.", nameof(key));
        }
    }

    public static void RequireSupplyKey(string key)
    {
        if (key != LedgerAccounts.Supply)
        {
            throw new ArgumentException($"The supply grain has one key, \"{LedgerAccounts.Supply}\"; got '{key}'.", nameof(key));
        }
    }

    public static void RequireEntryId(string? entryId, string parameterName)
    {
        if (!LedgerEntries.IsValidId(entryId))
        {
            throw new ArgumentException(LedgerEntries.InvalidIdMessage(entryId), parameterName);
        }
    }

    public static void RequireAmount(UInt128 amount, string parameterName)
    {
        if (amount == UInt128.Zero)
        {
            throw new ArgumentException("An amount must be more than zero base units (got 0).", parameterName);
        }
    }

    /// <summary>The other side of a movement: a valid account key other than <paramref name="self"/>.</summary>
    public static void RequireCounterparty(string? key, string self, string what, string parameterName)
    {
        if (!LedgerAccounts.IsValid(key))
        {
            throw new ArgumentException($"{what} must be {AccountKeyRule}; got '{key}'.", parameterName);
        }

        if (key == self)
        {
            throw new ArgumentException($"{what} must be another account than '{self}' itself.", parameterName);
        }
    }

    /// <summary>A credit id <c>{source}:{entry id}</c> whose source is another ledger grain than <paramref name="self"/>.</summary>
    public static void RequireCreditId(string? creditId, string self, string parameterName)
    {
        if (!LedgerEntries.TryParseCreditId(creditId, out var source, out _))
        {
            throw new ArgumentException(
                $"A credit's entry id must be '{{source}}:{{entry id}}' (LedgerEntries.CreditId), whose source is an account key or " +
                $"\"{LedgerAccounts.Supply}\" and whose entry id is 1 to {LedgerEntries.MaxIdLength} characters without control characters.",
                parameterName);
        }

        if (source == self)
        {
            throw new ArgumentException($"A credit's source must be another ledger grain than '{self}' itself.", parameterName);
        }
    }
}
