namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// Entry ids. Whoever asks for a movement names it with an id of its own choosing, 1 to <see cref="MaxIdLength"/>
/// characters without control characters ("epoch-2026-01-01T10/reward/0x…", a message id, a UUID): a grain applies an id
/// at most once, so the same request may be sent again after any failure. Ids need only be unique among the operations
/// sent to one grain; ids unique across the whole ledger are simplest.
/// </summary>
/// <remarks>
/// The credit that completes a movement at the receiving grain carries the id <c>{source}:{entry id}</c>, where source is
/// the key of the debited account or <see cref="LedgerAccounts.Supply"/>. So two accounts that happen to choose the same
/// id for payments to one receiver never have one credit taken for the other. Keys contain no ':', so the first ':' of a
/// credit id ends its source.
/// </remarks>
public static class LedgerEntries
{
    /// <summary>Longest entry id, in UTF-16 characters.</summary>
    public const int MaxIdLength = 200;

    /// <summary>Separates the source from the entry id in a credit id.</summary>
    public const char SourceSeparator = ':';

    /// <summary>True for 1 to <see cref="MaxIdLength"/> characters, none of them a control character.</summary>
    public static bool IsValidId(string? entryId)
    {
        if (entryId is not { Length: > 0 and <= MaxIdLength })
        {
            return false;
        }

        foreach (var c in entryId)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for an account key (see <see cref="LedgerAccounts.IsValid"/>) and for <see cref="LedgerAccounts.Supply"/>.</summary>
    public static bool IsValidSource(string? source) => source == LedgerAccounts.Supply || LedgerAccounts.IsValid(source);

    /// <summary>The id of the credit that completes entry <paramref name="entryId"/> debited at <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">The source is not an account key or the supply, or the entry id is not valid.</exception>
    public static string CreditId(string source, string entryId)
    {
        if (!IsValidSource(source))
        {
            throw new ArgumentException($"A credit's source must be an account key or \"{LedgerAccounts.Supply}\" (got '{source}').", nameof(source));
        }

        if (!IsValidId(entryId))
        {
            throw new ArgumentException(InvalidIdMessage(entryId), nameof(entryId));
        }

        return $"{source}{SourceSeparator}{entryId}";
    }

    /// <summary>Splits a credit id into its source and entry id; false when it is not one.</summary>
    public static bool TryParseCreditId(string? creditId, out string source, out string entryId)
    {
        source = string.Empty;
        entryId = string.Empty;
        var separator = creditId?.IndexOf(SourceSeparator, StringComparison.Ordinal) ?? -1;
        if (separator < 0)
        {
            return false;
        }

        var parsedSource = creditId![..separator];
        var parsedEntry = creditId[(separator + 1)..];
        if (!IsValidSource(parsedSource) || !IsValidId(parsedEntry))
        {
            return false;
        }

        source = parsedSource;
        entryId = parsedEntry;
        return true;
    }

    /// <summary>A sentence saying what is wrong with an invalid entry id and what is allowed; the id itself is not echoed.</summary>
    public static string InvalidIdMessage(string? entryId) =>
        $"An entry id must be 1 to {MaxIdLength} characters without control characters (got {entryId switch
        {
            null => "null",
            { Length: 0 } => "an empty string",
            { Length: > MaxIdLength } => $"{entryId.Length} characters",
            _ => "a control character",
        }}).";
}
