using System.Text.Json;

namespace NexusOrleans.Runtime.State;

/// <summary>Turns grain state into stored bytes and back. Replace the registration to change the format.</summary>
public interface IGrainStateSerializer
{
    /// <summary>Serializes a state object.</summary>
    byte[] Serialize<TState>(TState state);

    /// <summary>Deserializes a state object; throws when the bytes are not a valid <typeparamref name="TState"/>.</summary>
    TState Deserialize<TState>(ReadOnlySpan<byte> payload);
}

/// <summary>UTF-8 JSON with System.Text.Json's defaults. Unknown properties are ignored, so adding a property is safe.</summary>
public sealed class JsonGrainStateSerializer : IGrainStateSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    /// <inheritdoc />
    public byte[] Serialize<TState>(TState state) => JsonSerializer.SerializeToUtf8Bytes(state, Options);

    /// <inheritdoc />
    public TState Deserialize<TState>(ReadOnlySpan<byte> payload)
        => JsonSerializer.Deserialize<TState>(payload, Options) ?? throw new JsonException("The stored state is JSON null.");
}
