using System.Buffers.Binary;
using System.Collections;

namespace NexusOrleans.Grains.Inbox;

/// <summary>
/// The ids of an inbox's read messages with the expiry each had, kept until that expiry so that a late copy is not
/// stored again. They are held in their stored form, one 40-byte record each (the id's 32 bytes, then the expiry as
/// big-endian UTC ticks), next to an index by id: the inbox writes them with every change, and a busy inbox holds one
/// for every message read in the last six hours, so writing them must be one copy, not an encoding per entry.
/// </summary>
public sealed class Tombstones : IEnumerable<KeyValuePair<string, DateTimeOffset>>
{
    /// <summary>Bytes of one id.</summary>
    public const int IdBytes = InboxIdentifiers.Length / 2;

    /// <summary>Bytes of one stored record: the id, then the expiry's UTC ticks.</summary>
    public const int RecordBytes = IdBytes + sizeof(long);

    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private string[] _ids = [];
    private byte[] _records = [];

    /// <summary>How many tombstones there are.</summary>
    public int Count => _slots.Count;

    /// <summary>The records in their stored form, in no particular order.</summary>
    public ReadOnlySpan<byte> Records => _records.AsSpan(0, Count * RecordBytes);

    /// <summary>The expiry of the tombstone with this id; setting adds one or changes its expiry.</summary>
    /// <exception cref="KeyNotFoundException">Getting an id that has no tombstone.</exception>
    /// <exception cref="ArgumentException">Setting an id that is not 64 lowercase hex characters.</exception>
    public DateTimeOffset this[string id]
    {
        get => TryGetValue(id, out var expiresAt) ? expiresAt : throw new KeyNotFoundException("This inbox has no tombstone with that id.");
        set
        {
            if (!_slots.TryGetValue(id, out var slot))
            {
                InboxIdentifiers.Require(id, "A tombstone's id (a message id)", nameof(id));
                slot = Count;
                Grow(slot + 1);
                Convert.FromHexString(id, RecordAt(slot)[..IdBytes], out _, out _);
                _ids[slot] = id;
                _slots.Add(id, slot);
            }

            BinaryPrimitives.WriteInt64BigEndian(RecordAt(slot)[IdBytes..], value.UtcTicks);
        }
    }

    /// <summary>Reads records in their stored form; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Tombstones FromRecords(ReadOnlySpan<byte> records)
    {
        if (records.Length % RecordBytes != 0)
        {
            throw new FormatException($"An inbox's tombstones are {RecordBytes}-byte records; found {records.Length} bytes.");
        }

        var tombstones = new Tombstones();
        for (var offset = 0; offset < records.Length; offset += RecordBytes)
        {
            var record = records.Slice(offset, RecordBytes);
            tombstones[Convert.ToHexStringLower(record[..IdBytes])] = ExpiryOf(record);
        }

        return tombstones;
    }

    /// <summary>The expiry of the tombstone with this id, if there is one.</summary>
    public bool TryGetValue(string id, out DateTimeOffset expiresAt)
    {
        if (_slots.TryGetValue(id, out var slot))
        {
            expiresAt = ExpiryOf(RecordAt(slot));
            return true;
        }

        expiresAt = default;
        return false;
    }

    /// <summary>Removes the tombstone with this id; false when there is none.</summary>
    public bool Remove(string id)
    {
        if (!_slots.Remove(id, out var slot))
        {
            return false;
        }

        // The last record moves into the freed slot, so the records stay one contiguous run.
        var last = Count;
        if (slot != last)
        {
            RecordAt(last).CopyTo(RecordAt(slot));
            _ids[slot] = _ids[last];
            _slots[_ids[slot]] = slot;
        }

        _ids[last] = null!;
        return true;
    }

    /// <summary>Removes every tombstone whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    public int RemoveExpired(DateTimeOffset now)
    {
        var removed = 0;
        for (var slot = Count - 1; slot >= 0; slot--)
        {
            if (ExpiryOf(RecordAt(slot)) <= now)
            {
                Remove(_ids[slot]);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>The earliest expiry, or null when there are no tombstones.</summary>
    public DateTimeOffset? Earliest()
    {
        DateTimeOffset? earliest = null;
        for (var slot = 0; slot < Count; slot++)
        {
            var expiresAt = ExpiryOf(RecordAt(slot));
            earliest = earliest is null || expiresAt < earliest ? expiresAt : earliest;
        }

        return earliest;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, DateTimeOffset>> GetEnumerator()
    {
        for (var slot = 0; slot < Count; slot++)
        {
            yield return new(_ids[slot], ExpiryOf(RecordAt(slot)));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static DateTimeOffset ExpiryOf(ReadOnlySpan<byte> record)
    {
        var ticks = BinaryPrimitives.ReadInt64BigEndian(record[IdBytes..]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new FormatException("A tombstone's expiry is out of range.");
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private Span<byte> RecordAt(int slot) => _records.AsSpan(slot * RecordBytes, RecordBytes);

    private void Grow(int count)
    {
        if (count <= _ids.Length)
        {
            return;
        }

        var capacity = Math.Max(count, Math.Max(8, _ids.Length * 2));
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _records, capacity * RecordBytes);
    }
}
