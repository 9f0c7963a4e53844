using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Inbox;

/// <summary>
/// The inbox of one recipient identity (key: the recipient's Ed25519 public key as 64 lowercase hex characters). It keeps
/// an envelope only while it is unread and never longer than the relay's maximum unread age, and deletes it the moment
/// it is acknowledged. It stores opaque bytes: the gateway parses and verifies envelopes and authorizes callers.
/// </summary>
/// <remarks>The grain type is <c>inbox</c> (set on the grain class: the runtime's <see cref="GrainTypeAttribute"/> applies to classes only).</remarks>
public interface IInboxGrain : IGrain
{
    /// <summary>Stores the envelope once per message id and pushes it to the subscribed observers once it is durable.</summary>
    /// <exception cref="ArgumentException">The envelope is malformed (id or sender not 64 lowercase hex characters, no data).</exception>
    Task<DepositResult> Deposit(InboxEnvelope envelope);

    /// <summary>
    /// Envelopes with <see cref="InboxEnvelope.Sequence"/> greater than <paramref name="after"/>, oldest first, never an
    /// expired one. <paramref name="limit"/> is clamped to 1..<c>Inbox:MaxFetchPage</c>.
    /// </summary>
    [ReadOnly]
    Task<InboxPage> Fetch(long after, int limit);

    /// <summary>Burns the listed envelopes: deleted from storage before this returns. Unknown ids are ignored.</summary>
    /// <returns>How many envelopes were deleted.</returns>
    Task<int> Ack(IReadOnlyList<string> messageIds);

    /// <summary>Subscribes, or renews a subscription; it lapses after <c>Inbox:ObserverExpiration</c> unless renewed.</summary>
    Task Subscribe(IInboxObserver observer);

    /// <summary>Ends a subscription; does nothing when there is none.</summary>
    Task Unsubscribe(IInboxObserver observer);
}
