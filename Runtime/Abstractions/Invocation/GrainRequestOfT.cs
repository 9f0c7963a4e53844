using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NexusOrleans.Runtime.Invocation;

/// <summary>A request whose method returns a value.</summary>
/// <remarks>
/// The request is its own promise: an <see cref="AsyncTaskMethodBuilder{TResult}"/> holds the caller's task, so a call
/// allocates the request and its task and nothing else when the grain method completes synchronously.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainRequest<TResult> : GrainRequest
{
    private AsyncTaskMethodBuilder<TResult> _promise;
    private ValueTaskAwaiter<TResult> _awaiter;
    private IRequestCompletion? _completion;

    /// <summary>The task the caller awaits. It must be read before the request is handed to the runtime.</summary>
    public Task<TResult> ResultTask => _promise.Task;

    /// <summary>Calls the grain method on <paramref name="target"/>.</summary>
    protected abstract ValueTask<TResult> InvokeCore(object target);

    /// <inheritdoc />
    public sealed override void Invoke(object target, IRequestCompletion completion)
    {
        ValueTask<TResult> pending;
        try
        {
            pending = InvokeCore(target);
        }
        catch (Exception exception)
        {
            _promise.SetException(exception);
            completion.OnRequestCompleted(this);
            return;
        }

        if (pending.IsCompleted)
        {
            Complete(pending.GetAwaiter(), completion);
            return;
        }

        _awaiter = pending.GetAwaiter();
        _completion = completion;

        // Captures the current synchronization context (the activation), so completion is reported on it.
        _awaiter.UnsafeOnCompleted(OnAwaited);
    }

    /// <inheritdoc />
    public sealed override void Fail(Exception exception) => _promise.SetException(exception);

    internal sealed override Task Outcome => ResultTask;

    internal sealed override void WriteResult(IGrainArgumentWriter writer) => writer.Write(ResultTask.Result);

    internal sealed override void CompleteFrom(IGrainArgumentReader reader) => _promise.SetResult(reader.Read<TResult>());

    private void OnAwaited()
    {
        var completion = _completion!;
        var awaiter = _awaiter;
        _completion = null;
        _awaiter = default;
        Complete(awaiter, completion);
    }

    private void Complete(ValueTaskAwaiter<TResult> awaiter, IRequestCompletion completion)
    {
        try
        {
            _promise.SetResult(awaiter.GetResult());
        }
        catch (Exception exception)
        {
            _promise.SetException(exception);
        }

        completion.OnRequestCompleted(this);
    }
}

/// <summary>A request whose method returns <see cref="Task"/> or <see cref="ValueTask"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class VoidGrainRequest : GrainRequest
{
    private AsyncTaskMethodBuilder _promise;
    private ValueTaskAwaiter _awaiter;
    private IRequestCompletion? _completion;

    /// <summary>The task the caller awaits. It must be read before the request is handed to the runtime.</summary>
    public Task ResultTask => _promise.Task;

    /// <summary>Calls the grain method on <paramref name="target"/>.</summary>
    protected abstract ValueTask InvokeCore(object target);

    /// <inheritdoc />
    public sealed override void Invoke(object target, IRequestCompletion completion)
    {
        ValueTask pending;
        try
        {
            pending = InvokeCore(target);
        }
        catch (Exception exception)
        {
            _promise.SetException(exception);
            completion.OnRequestCompleted(this);
            return;
        }

        if (pending.IsCompleted)
        {
            Complete(pending.GetAwaiter(), completion);
            return;
        }

        _awaiter = pending.GetAwaiter();
        _completion = completion;
        _awaiter.UnsafeOnCompleted(OnAwaited);
    }

    /// <inheritdoc />
    public sealed override void Fail(Exception exception) => _promise.SetException(exception);

    internal sealed override Task Outcome => ResultTask;

    internal sealed override void WriteResult(IGrainArgumentWriter writer)
    {
    }

    internal sealed override void CompleteFrom(IGrainArgumentReader reader) => _promise.SetResult();

    private void OnAwaited()
    {
        var completion = _completion!;
        var awaiter = _awaiter;
        _completion = null;
        _awaiter = default;
        Complete(awaiter, completion);
    }

    private void Complete(ValueTaskAwaiter awaiter, IRequestCompletion completion)
    {
        try
        {
            awaiter.GetResult();
            _promise.SetResult();
        }
        catch (Exception exception)
        {
            _promise.SetException(exception);
        }

        completion.OnRequestCompleted(this);
    }
}
