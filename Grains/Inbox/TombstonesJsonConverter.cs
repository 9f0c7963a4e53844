using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NexusOrleans.Grains.Inbox;

/// <summary>
/// Stores an inbox's tombstones (read message id → expiry) as one base64 string of 40-byte records: the 32-byte id, then
/// the expiry as big-endian UTC ticks. The inbox rewrites its whole state on every deposit and ack, and a busy inbox
/// holds a tombstone for every message read in the last six hours, so their encoding is on the hot path: one base64
/// string is written in a single pass, where a JSON object would format and escape a name and a date per entry.
/// Reading also accepts the earlier form, a JSON object of id → ISO 8601 expiry, so stored inboxes survive an upgrade.
/// </summary>
internal sealed class TombstonesJsonConverter : JsonConverter<Dictionary<string, DateTimeOffset>>
{
    private const int IdBytes = InboxIdentifiers.Length / 2;
    private const int RecordBytes = IdBytes + sizeof(long);

    /// <inheritdoc />
    public override Dictionary<string, DateTimeOffset> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            case JsonTokenType.String:
                return ReadRecords(reader.GetBytesFromBase64());
            case JsonTokenType.StartObject:
                return ReadObject(ref reader);
            default:
                throw new JsonException($"An inbox's tombstones are a base64 string, found {reader.TokenType}.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Dictionary<string, DateTimeOffset> value, JsonSerializerOptions options)
    {
        var length = value.Count * RecordBytes;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var offset = 0;
            foreach (var (id, expiresAt) in value)
            {
                var record = buffer.AsSpan(offset, RecordBytes);
                if (Convert.FromHexString(id, record[..IdBytes], out _, out var written) != System.Buffers.OperationStatus.Done || written != IdBytes)
                {
                    throw new JsonException("A tombstone's id is not 64 hex characters.");
                }

                BinaryPrimitives.WriteInt64BigEndian(record[IdBytes..], expiresAt.UtcTicks);
                offset += RecordBytes;
            }

            writer.WriteBase64StringValue(buffer.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Dictionary<string, DateTimeOffset> ReadRecords(byte[] bytes)
    {
        if (bytes.Length % RecordBytes != 0)
        {
            throw new JsonException($"An inbox's tombstones are {RecordBytes}-byte records; found {bytes.Length} bytes.");
        }

        var tombstones = new Dictionary<string, DateTimeOffset>(bytes.Length / RecordBytes, StringComparer.Ordinal);
        for (var offset = 0; offset < bytes.Length; offset += RecordBytes)
        {
            var record = bytes.AsSpan(offset, RecordBytes);
            var ticks = BinaryPrimitives.ReadInt64BigEndian(record[IdBytes..]);
            if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                throw new JsonException("A tombstone's expiry is out of range.");
            }

            tombstones[Convert.ToHexStringLower(record[..IdBytes])] = new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        return tombstones;
    }

    private static Dictionary<string, DateTimeOffset> ReadObject(ref Utf8JsonReader reader)
    {
        var tombstones = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var id = reader.GetString()!;
            reader.Read();
            tombstones[id] = reader.GetDateTimeOffset();
        }

        return tombstones;
    }
}
