namespace NexusOrleans.Grains.Inbox;

/// <summary>What became of a deposit.</summary>
public enum DepositStatus
{
    /// <summary>Stored durably and pushed to the subscribed observers.</summary>
    Stored,

    /// <summary>This message id is already in the inbox, or was already read; nothing changed.</summary>
    Duplicate,

    /// <summary>Storing it would exceed a limit of the inbox; nothing already stored was dropped.</summary>
    InboxFull,

    /// <summary>The envelope's expiry has already passed.</summary>
    Expired,
}

/// <summary>The outcome of <see cref="IInboxGrain.Deposit"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="MessageId">The envelope's id.</param>
/// <param name="ExpiresAt">The relay-side expiry when stored or a duplicate; the envelope's own expiry otherwise.</param>
/// <param name="Reason">For a refusal, a sentence a person can read saying why (for a full inbox, which limit and its value).</param>
public sealed record DepositResult(DepositStatus Status, string MessageId, DateTimeOffset ExpiresAt, string? Reason = null);
