namespace NexusOrleans.Runtime.Cluster.Serialization;

/// <summary>
/// Exceptions cross processes as their type's full name and message. The runtime's own exceptions, and the argument
/// and state exceptions callers already handle, are re-created as the same type on the caller; any other becomes a
/// <see cref="RemoteGrainCallException"/> naming the original type. Stack traces stay in the process that threw.
/// </summary>
internal static class RemoteExceptions
{
    public static string TypeName(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    public static Exception Recreate(string type, string message, GrainId target, string method) => type switch
    {
        _ when type == typeof(ArgumentNullException).FullName => new ArgumentNullException(null, message),
        _ when type == typeof(ArgumentOutOfRangeException).FullName => new ArgumentOutOfRangeException(null, message),
        _ when type == typeof(ArgumentException).FullName => new ArgumentException(message),
        _ when type == typeof(InvalidOperationException).FullName => new InvalidOperationException(message),
        _ when type == typeof(TimeoutException).FullName => new TimeoutException(message),
        _ when type == typeof(SiloUnavailableException).FullName => new SiloUnavailableException(message),
        _ when type == typeof(CallInterruptedException).FullName => new CallInterruptedException(message),
        _ when type == typeof(InconsistentStateException).FullName => new InconsistentStateException(target, message),
        _ when type == typeof(ObserverNotFoundException).FullName => new ObserverNotFoundException(target),
        _ => new RemoteGrainCallException(type, message, target, method),
    };
}
