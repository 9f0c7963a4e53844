namespace NexusOrleans.Grains.Inbox;

/// <summary>
/// The in-memory view of an <see cref="InboxState"/>: the state's envelope list (kept in sequence order) plus an index by
/// id and the byte total, so deposit, ack and fetch do not scan. Changes go to the state object itself; the grain writes it.
/// </summary>
internal sealed class InboxContents
{
    private readonly Dictionary<string, InboxEnvelope> _byId = new(StringComparer.Ordinal);

    public InboxContents(InboxState state)
    {
        State = state;
        foreach (var envelope in state.Envelopes)
        {
            _byId.Add(envelope.Id, envelope);
            Bytes += envelope.Data.Length;
        }
    }

    /// <summary>The state this view reads and changes.</summary>
    public InboxState State { get; }

    public int Count => State.Envelopes.Count;

    /// <summary>Sum of the stored envelopes' data lengths.</summary>
    public long Bytes { get; private set; }

    /// <summary>No envelope and no tombstone: nothing worth storing.</summary>
    public bool IsEmpty => State.Envelopes.Count == 0 && State.Burned.Count == 0;

    /// <summary>The earliest expiry among envelopes and tombstones, or null when empty.</summary>
    public DateTimeOffset? EarliestExpiry
    {
        get
        {
            DateTimeOffset? earliest = null;
            foreach (var envelope in State.Envelopes)
            {
                earliest = earliest is null || envelope.ExpiresAt < earliest ? envelope.ExpiresAt : earliest;
            }

            var tombstone = State.Burned.Earliest();
            return earliest is null || tombstone < earliest ? tombstone : earliest;
        }
    }

    /// <summary>The expiry of the envelope or tombstone with this id, if either exists.</summary>
    public bool TryGetKnownExpiry(string id, out DateTimeOffset expiresAt)
    {
        if (_byId.TryGetValue(id, out var envelope))
        {
            expiresAt = envelope.ExpiresAt;
            return true;
        }

        return State.Burned.TryGetValue(id, out expiresAt);
    }

    /// <summary>
    /// The next sequence number: one more than the last, and at least the clock in microseconds since 1970, so that it
    /// stays above every cursor handed out before the inbox emptied and its state (with the counter) was deleted.
    /// </summary>
    public long NextSequence(DateTimeOffset now)
    {
        var clock = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
        State.LastSequence = Math.Max(State.LastSequence + 1, clock);
        return State.LastSequence;
    }

    /// <summary>Appends an envelope whose sequence is above every stored one and whose id is not known.</summary>
    public void Add(InboxEnvelope envelope)
    {
        _byId.Add(envelope.Id, envelope);
        State.Burned.Remove(envelope.Id);
        State.Envelopes.Add(envelope);
        Bytes += envelope.Data.Length;
    }

    /// <summary>Deletes the envelope with this id and leaves a tombstone until its expiry; false when it is not stored.</summary>
    public bool Burn(string id)
    {
        if (!_byId.Remove(id, out var envelope))
        {
            return false;
        }

        State.Envelopes.RemoveAt(IndexAfter(envelope.Sequence - 1));
        State.Burned[id] = envelope.ExpiresAt;
        Bytes -= envelope.Data.Length;
        return true;
    }

    /// <summary>Deletes every envelope and tombstone whose expiry is at or before <paramref name="now"/>.</summary>
    public (int Envelopes, int Tombstones) RemoveExpired(DateTimeOffset now)
    {
        var envelopes = State.Envelopes.RemoveAll(envelope =>
        {
            if (envelope.ExpiresAt > now)
            {
                return false;
            }

            _byId.Remove(envelope.Id);
            Bytes -= envelope.Data.Length;
            return true;
        });

        return (envelopes, State.Burned.RemoveExpired(now));
    }

    /// <summary>Up to <paramref name="limit"/> unexpired envelopes with a sequence above <paramref name="after"/>, oldest first.</summary>
    public InboxPage Page(long after, int limit, DateTimeOffset now)
    {
        var envelopes = State.Envelopes;
        var page = new List<InboxEnvelope>(Math.Min(limit, envelopes.Count));
        var next = after;
        for (var i = IndexAfter(after); i < envelopes.Count; i++)
        {
            var envelope = envelopes[i];
            if (envelope.ExpiresAt <= now)
            {
                continue;
            }

            if (page.Count == limit)
            {
                return new InboxPage(page, next, HasMore: true);
            }

            page.Add(envelope);
            next = envelope.Sequence;
        }

        return new InboxPage(page, next, HasMore: false);
    }

    /// <summary>Index of the first envelope with a sequence above <paramref name="after"/> (binary search: the list is in sequence order).</summary>
    private int IndexAfter(long after)
    {
        var envelopes = State.Envelopes;
        int low = 0, high = envelopes.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (envelopes[middle].Sequence <= after)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
