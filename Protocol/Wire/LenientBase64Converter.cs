using System.Text.Json;
using System.Text.Json.Serialization;

namespace NexusOrleans.Protocol.Wire;

/// <summary>
/// Reads a base64 JSON string straight into bytes (no intermediate string) and writes bytes as base64. A string that is
/// not valid base64 reads as an empty array instead of failing the whole frame, so that the relay can still answer the
/// request by its id with a precise error; an empty envelope is never valid, so nothing malformed gets through.
/// </summary>
public sealed class LenientBase64Converter : JsonConverter<byte[]>
{
    /// <inheritdoc />
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a base64 string, found {reader.TokenType}.");
        }

        return reader.TryGetBytesFromBase64(out var bytes) ? bytes : [];
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => writer.WriteBase64StringValue(value);
}

/// <summary>A JSON array of base64 strings as byte arrays, each element read as <see cref="LenientBase64Converter"/> reads one.</summary>
public sealed class LenientBase64ArrayConverter : JsonConverter<byte[][]>
{
    private static readonly LenientBase64Converter Element = new();

    /// <inheritdoc />
    public override byte[][]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of base64 strings, found {reader.TokenType}.");
        }

        var items = new List<byte[]>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(Element.Read(ref reader, typeof(byte[]), options) ?? []);
        }

        return [.. items];
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, byte[][] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteBase64StringValue(item);
        }

        writer.WriteEndArray();
    }
}
