namespace NexusOrleans.Runtime;

/// <summary>
/// A grain or observer in another process threw an exception this process does not re-create as its own type. The
/// call ran there and failed; <see cref="RemoteExceptionType"/> and the message say how.
/// </summary>
public sealed class RemoteGrainCallException(string remoteExceptionType, string message, GrainId target, string method)
    : Exception($"{method} on {target} failed in another process with {remoteExceptionType}: {message}")
{
    /// <summary>Full name of the exception type thrown in the other process.</summary>
    public string RemoteExceptionType { get; } = remoteExceptionType;

    /// <summary>The message of the exception thrown in the other process.</summary>
    public string RemoteMessage { get; } = message;

    /// <summary>The grain or observer called.</summary>
    public GrainId Target { get; } = target;
}
