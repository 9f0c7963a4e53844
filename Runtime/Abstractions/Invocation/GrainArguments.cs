using System.ComponentModel;

namespace NexusOrleans.Runtime.Invocation;

/// <summary>Writes the arguments of a request, in parameter order, for a call to another process.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainArgumentWriter
{
    /// <summary>Writes the next argument as a value of its declared parameter type.</summary>
    void Write<T>(T value);
}

/// <summary>Reads the arguments of a request, in parameter order, as written by <see cref="IGrainArgumentWriter"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainArgumentReader
{
    /// <summary>Reads the next argument as a value of its declared parameter type.</summary>
    T Read<T>();
}

/// <summary>
/// Collects the request classes a generated proxy carries, by wire name, so the receiving process can create a request
/// from a name and arguments without reflection at call time.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainRequestRegistrar
{
    /// <summary>Registers the factory of the request class whose <see cref="GrainRequest.WireName"/> is <paramref name="wireName"/>.</summary>
    void Add(string wireName, Func<GrainRequest> factory);
}
