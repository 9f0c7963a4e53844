using System.ComponentModel;

namespace NexusOrleans.Runtime.Invocation;

/// <summary>
/// Base class of generated proxies: a grain or observer identity plus the sink that delivers calls to it.
/// Two references are equal when they address the same identity.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainReference : IEquatable<GrainReference>
{
    /// <summary>Used by generated proxies.</summary>
    protected GrainReference(IGrainCallSink sink, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Sink = sink;
        GrainId = grainId;
    }

    /// <summary>The identity this reference addresses.</summary>
    public GrainId GrainId { get; }

    /// <summary>Delivers calls.</summary>
    internal IGrainCallSink Sink { get; }

    /// <summary>Where the sink last delivered a call for this reference; a routing cache owned by the sink.</summary>
    internal object? RouteCache { get; set; }

    /// <summary>Sends a call and returns the task its caller awaits.</summary>
    protected Task<TResult> InvokeAsync<TResult>(GrainRequest<TResult> request)
    {
        var result = request.ResultTask;
        Sink.Send(this, request);
        return result;
    }

    /// <summary>Sends a call and returns the task its caller awaits.</summary>
    protected Task InvokeAsync(VoidGrainRequest request)
    {
        var result = request.ResultTask;
        Sink.Send(this, request);
        return result;
    }

    /// <inheritdoc />
    public bool Equals(GrainReference? other) => other is not null && GrainId.Equals(other.GrainId);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GrainReference);

    /// <inheritdoc />
    public override int GetHashCode() => GrainId.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => GrainId.ToString();
}

/// <summary>Delivers requests addressed to a reference. Implemented by the runtime.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainCallSink
{
    /// <summary>Queues <paramref name="request"/> for the grain or observer <paramref name="target"/> addresses,
    /// or fails the request; never throws.</summary>
    void Send(GrainReference target, GrainRequest request);
}

/// <summary>
/// Registers a generated proxy class for a grain or observer interface. The proxy derives from
/// <see cref="GrainReference"/> and has a constructor <c>(IGrainCallSink sink, GrainId grainId)</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class GrainProxyAttribute(Type interfaceType, Type proxyType) : Attribute
{
    /// <summary>The grain or observer interface.</summary>
    public Type InterfaceType { get; } = interfaceType;

    /// <summary>The generated proxy class.</summary>
    public Type ProxyType { get; } = proxyType;
}
