namespace NexusOrleans.Grains.Inbox;

/// <summary>One envelope as an inbox keeps it.</summary>
/// <param name="Id">The message id: 64 lowercase hex characters.</param>
/// <param name="Sender">The sender's identity: 64 lowercase hex characters.</param>
/// <param name="CreatedAt">When the sender created it.</param>
/// <param name="ExpiresAt">
/// On deposit, the sender's expiry. In the stored and returned copy, the relay-side expiry, which may be earlier than
/// the sender's (the relay keeps nothing longer than its maximum unread age) and is never later.
/// </param>
/// <param name="Data">The whole encoded envelope, opaque to the relay. Never modify it after handing it over.</param>
public sealed record InboxEnvelope(string Id, string Sender, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, byte[] Data)
{
    /// <summary>Assigned by the inbox on deposit (0 on input); strictly increasing within an inbox, even across its emptying.</summary>
    public long Sequence { get; init; }
}
