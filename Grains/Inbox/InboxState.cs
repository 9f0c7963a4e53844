using System.Text.Json.Serialization;

namespace NexusOrleans.Grains.Inbox;

/// <summary>
/// What an inbox stores (one JSON row, data as base64). Only unread, unexpired envelopes and the tombstones of read
/// ones; an inbox with neither has no row at all.
/// </summary>
public sealed class InboxState
{
    /// <summary>The last sequence number handed out; lost when the inbox empties, so sequences also follow the clock.</summary>
    public long LastSequence { get; set; }

    /// <summary>Unread envelopes in sequence order, each with its relay-side expiry.</summary>
    public List<InboxEnvelope> Envelopes { get; set; } = [];

    /// <summary>Ids of read (acknowledged) envelopes with the expiry they had, so that a late copy is not stored again.</summary>
    [JsonConverter(typeof(TombstonesJsonConverter))]
    public Tombstones Burned { get; set; } = new();

    /// <summary>When the expiry reminder is registered to fire, or null when none is registered.</summary>
    public DateTimeOffset? ExpiryReminderDue { get; set; }
}
