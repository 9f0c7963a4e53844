namespace NexusOrleans.Grains.Inbox;

/// <summary>One page of <see cref="IInboxGrain.Fetch"/>.</summary>
/// <param name="Envelopes">Oldest first.</param>
/// <param name="Next">The cursor to pass as <c>after</c> next time: the last sequence returned, or the <c>after</c> given when the page is empty.</param>
/// <param name="HasMore">True when unexpired envelopes after <paramref name="Next"/> remain.</param>
public sealed record InboxPage(IReadOnlyList<InboxEnvelope> Envelopes, long Next, bool HasMore);
