using System.Buffers;
using System.Text.Json;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Cluster.Serialization;

/// <summary>
/// Arguments and results of remote calls as UTF-8 JSON arrays: arguments in parameter order, a result as an array of
/// one value (none for a method returning <see cref="Task"/>). The options are System.Text.Json's general defaults, as
/// for grain state, plus grain and observer references, which travel as their <see cref="GrainId"/> and arrive as
/// proxies bound to this process's sink. One serializer per process side (silo catalog or client).
/// </summary>
internal sealed class CallSerializer
{
    public CallSerializer(IGrainCallSink sink)
    {
        Options = new JsonSerializerOptions(JsonSerializerDefaults.General);
        Options.Converters.Add(new GrainReferenceConverterFactory(sink));
        Options.MakeReadOnly(populateMissingResolver: true);
    }

    public JsonSerializerOptions Options { get; }

    public byte[] WriteArguments(GrainRequest request) => WriteArray(request, static (r, writer) => r.WriteArguments(writer));

    public byte[] WriteResult(GrainRequest request) => WriteArray(request, static (r, writer) => r.WriteResult(writer));

    public void ReadArguments(GrainRequest request, ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var reader = new JsonArgumentReader(document.RootElement, Options);
        request.ReadArguments(reader);
        reader.EnsureConsumed(request.MethodName);
    }

    /// <summary>Completes <paramref name="request"/> with the result another process sent.</summary>
    public void Complete(GrainRequest request, ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        request.CompleteFrom(new JsonArgumentReader(document.RootElement, Options));
    }

    private byte[] WriteArray(GrainRequest request, Action<GrainRequest, IGrainArgumentWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            write(request, new JsonArgumentWriter(json, Options));
            json.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed class JsonArgumentWriter(Utf8JsonWriter json, JsonSerializerOptions options) : IGrainArgumentWriter
    {
        public void Write<T>(T value) => JsonSerializer.Serialize(json, value, options);
    }

    private sealed class JsonArgumentReader(JsonElement array, JsonSerializerOptions options) : IGrainArgumentReader
    {
        private JsonElement.ArrayEnumerator _values = array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : throw new JsonException($"Arguments and results travel as a JSON array; got {array.ValueKind}.");

        public T Read<T>()
        {
            if (!_values.MoveNext())
            {
                throw new JsonException($"The JSON array has fewer values than expected (no value for a {typeof(T).Name}).");
            }

            return _values.Current.Deserialize<T>(options)!;
        }

        public void EnsureConsumed(string method)
        {
            if (_values.MoveNext())
            {
                throw new JsonException($"More arguments arrived than {method} has parameters.");
            }
        }
    }
}
