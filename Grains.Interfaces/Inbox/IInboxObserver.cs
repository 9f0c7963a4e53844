using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Inbox;

/// <summary>Receives the envelopes deposited in an inbox while subscribed (the gateway's per-socket handler).</summary>
public interface IInboxObserver : IGrainObserver
{
    /// <summary>An envelope was stored; it carries its sequence number and the relay-side expiry.</summary>
    Task Deliver(InboxEnvelope envelope);
}
