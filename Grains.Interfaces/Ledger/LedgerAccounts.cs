namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// Keys of ledger accounts. A person's or operator's account is their EVM wallet address (the wallet of their
/// mnemonic, m/44'/60'/0'/0/0), written "0x" + 40 lowercase hex characters; the network's own treasury is one more
/// account. Minted and burned amounts are not accounts: the supply grain counts them.
/// </summary>
public static class LedgerAccounts
{
    /// <summary>The network treasury's account key (slashes and subsidies go through it).</summary>
    public const string Treasury = "treasury";

    /// <summary>The key of the one supply grain.</summary>
    public const string Supply = "supply";

    /// <summary>True for "treasury" and for "0x" + 40 lowercase hex characters.</summary>
    public static bool IsValid(string? key)
    {
        if (key == Treasury)
        {
            return true;
        }

        if (key is not { Length: 42 } || !key.StartsWith("0x", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in key.AsSpan(2))
        {
            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An address in any case ("0xAbC…", EIP-55 or not) as an account key; throws when it is not an address.</summary>
    public static string Normalize(string address)
    {
        var key = address?.Trim().ToLowerInvariant();
        if (!IsValid(key) || key == Treasury)
        {
            throw new ArgumentException($"'{address}' is not an EVM address (0x followed by 40 hex characters).", nameof(address));
        }

        return key!;
    }
}
