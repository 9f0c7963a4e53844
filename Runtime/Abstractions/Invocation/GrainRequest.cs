using System.ComponentModel;

namespace NexusOrleans.Runtime.Invocation;

/// <summary>
/// One turn for an activation: a call to a grain method with its arguments and the promise its caller awaits,
/// or a turn the runtime itself schedules (a timer tick, activation, deactivation). Generated proxies create one
/// subclass per interface method; application code never sees these types.
/// </summary>
/// <remarks>
/// A request is invoked at most once and completed exactly once, either by <see cref="Invoke"/> (which reports back
/// through <see cref="IRequestCompletion"/>) or by <see cref="Fail"/> when it can never run.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainRequest
{
    /// <summary><c>Interface.Method</c>, for logs, errors and metrics.</summary>
    public abstract string MethodName { get; }

    /// <summary>True for methods marked <see cref="Concurrency.ReadOnlyAttribute"/>: such turns may interleave with each other.</summary>
    public virtual bool IsReadOnly => false;

    /// <summary>Whether running this turn counts as use of the activation for idle collection. Timer ticks do not.</summary>
    public virtual bool CountsAsActivity => true;

    /// <summary>
    /// Runs the turn on <paramref name="target"/>. Synchronous completion is reported before this returns; otherwise
    /// the completion is reported from the awaited continuation, which runs on the synchronization context current when
    /// <see cref="Invoke"/> was called (the activation's). The caller's task is resolved first, so the caller may already
    /// have resumed when <see cref="IRequestCompletion.OnRequestCompleted"/> runs.
    /// </summary>
    public abstract void Invoke(object target, IRequestCompletion completion);

    /// <summary>Completes the request with an error without running it.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>
    /// The method's identity on the wire: <c>Namespace.IInterface.Method(Param.Type.Names)</c> of the declaring
    /// interface, the same in every process and build. Null for turns the runtime schedules itself, which never leave
    /// their process.
    /// </summary>
    public virtual string? WireName => null;

    /// <summary>Writes the arguments in parameter order; generated requests override it.</summary>
    public virtual void WriteArguments(IGrainArgumentWriter writer)
    {
    }

    /// <summary>Reads the arguments in parameter order into a request created empty; generated requests override it.</summary>
    public virtual void ReadArguments(IGrainArgumentReader reader)
    {
    }

    /// <summary>The caller's span, carried to the turn in this process when tracing listens; null otherwise.</summary>
    internal System.Diagnostics.Activity? Caller { get; set; }

    /// <summary>The caller's task, completed when the request is.</summary>
    internal virtual Task? Outcome => null;

    /// <summary>Writes the result of a request whose <see cref="Outcome"/> completed successfully.</summary>
    internal virtual void WriteResult(IGrainArgumentWriter writer)
        => throw new NotSupportedException($"{MethodName} has no result that can cross processes.");

    /// <summary>Completes the request with a result read from another process, without running it here.</summary>
    internal virtual void CompleteFrom(IGrainArgumentReader reader)
        => throw new NotSupportedException($"{MethodName} cannot be completed from another process.");
}

/// <summary>Told when a turn started by <see cref="GrainRequest.Invoke"/> has completed.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRequestCompletion
{
    /// <summary>The request's promise is already resolved when this is called.</summary>
    void OnRequestCompleted(GrainRequest request);
}
