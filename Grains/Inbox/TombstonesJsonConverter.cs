using System.Text.Json;
using System.Text.Json.Serialization;

namespace NexusOrleans.Grains.Inbox;

/// <summary>
/// Stores an inbox's <see cref="Tombstones"/> as one base64 string of their 40-byte records, written straight from the
/// form they are held in. Reading also accepts the earlier form, a JSON object of id → ISO 8601 expiry, so stored
/// inboxes survive an upgrade.
/// </summary>
internal sealed class TombstonesJsonConverter : JsonConverter<Tombstones>
{
    /// <inheritdoc />
    public override Tombstones Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return new Tombstones();
            case JsonTokenType.String:
                try
                {
                    return Tombstones.FromRecords(reader.GetBytesFromBase64());
                }
                catch (FormatException exception)
                {
                    throw new JsonException(exception.Message, exception);
                }

            case JsonTokenType.StartObject:
                return ReadObject(ref reader);
            default:
                throw new JsonException($"An inbox's tombstones are a base64 string, found {reader.TokenType}.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Tombstones value, JsonSerializerOptions options)
        => writer.WriteBase64StringValue(value.Records);

    private static Tombstones ReadObject(ref Utf8JsonReader reader)
    {
        var tombstones = new Tombstones();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var id = reader.GetString()!;
            reader.Read();
            try
            {
                tombstones[id] = reader.GetDateTimeOffset();
            }
            catch (ArgumentException exception)
            {
                throw new JsonException(exception.Message, exception);
            }
        }

        return tombstones;
    }
}
