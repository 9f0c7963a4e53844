using System.Text.Json;
using System.Text.Json.Serialization;
using NexusOrleans.Runtime.Catalog;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Cluster.Serialization;

/// <summary>Grain and observer interfaces travel as the <see cref="GrainId"/> of the reference (<c>"type/key"</c>).</summary>
internal sealed class GrainReferenceConverterFactory(IGrainCallSink sink) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsInterface && typeof(IAddressable).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
        => (JsonConverter)Activator.CreateInstance(typeof(GrainReferenceConverter<>).MakeGenericType(typeToConvert), sink)!;
}

internal sealed class GrainReferenceConverter<TInterface>(IGrainCallSink sink) : JsonConverter<TInterface>
    where TInterface : class
{
    public override TInterface? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException($"A {typeof(TInterface).Name} reference must be a \"type/key\" string.");
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new JsonException($"'{text}' is not a grain id: expected \"type/key\".");
        }

        GrainId grainId;
        try
        {
            grainId = new GrainId(GrainType.Create(text[..slash]), text[(slash + 1)..]);
        }
        catch (ArgumentException exception)
        {
            throw new JsonException($"'{text}' is not a valid grain id: {exception.Message}", exception);
        }

        return ProxyFactory.Create<TInterface>(sink, grainId);
    }

    public override void Write(Utf8JsonWriter writer, TInterface value, JsonSerializerOptions options)
    {
        if (value is not GrainReference reference)
        {
            throw new JsonException(
                $"A {typeof(TInterface).Name} argument is a {value.GetType().Name} object, not a reference: only references from GetGrain or " +
                "CreateObjectReference can be sent to another process.");
        }

        writer.WriteStringValue(reference.GrainId.ToString());
    }
}
