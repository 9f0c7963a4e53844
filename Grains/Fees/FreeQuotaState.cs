namespace NexusOrleans.Grains.Fees;

/// <summary>What a free quota grain stores (one JSON row): the ids of the day's messages that were free.</summary>
public sealed class FreeQuotaState
{
    /// <summary>Message ids counted as free, at most the day's limit of them.</summary>
    public HashSet<string> MessageIds { get; set; } = new(StringComparer.Ordinal);
}
