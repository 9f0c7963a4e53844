namespace NexusOrleans.Runtime.Storage.Batching;

/// <summary>
/// One queued change and the task its caller awaits. The committer applies it inside a transaction and stages its
/// outcome; the batcher publishes staged outcomes only after that transaction committed, so no caller ever sees a
/// result that a rollback later took back.
/// </summary>
/// <remarks>
/// Cancellation is honoured only while the operation waits in the queue. Once a batch has claimed it, its outcome
/// depends on the commit, so it runs to completion.
/// </remarks>
internal abstract class StorageOperation
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;

    private int _state;
    private CancellationTokenRegistration _registration;

    /// <summary>Takes the operation into a batch; false when its caller cancelled it while it was queued.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    /// <summary>Forgets an outcome staged inside a transaction that did not commit.</summary>
    public abstract void DiscardStaged();

    /// <summary>Completes the caller's task with the staged outcome; call only after the commit.</summary>
    public abstract void Publish();

    /// <summary>Completes the caller's task with an error.</summary>
    public abstract void Fail(Exception exception);

    internal void AttachCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((StorageOperation)state!).CancelIfQueued(token), this);
        }
    }

    protected abstract void SetCanceled(CancellationToken cancellationToken);

    protected void ReleaseCancellation() => _registration.Dispose();

    private void CancelIfQueued(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            SetCanceled(cancellationToken);
        }
    }
}

/// <summary>A queued change whose caller awaits a <typeparamref name="TResult"/>.</summary>
internal abstract class StorageOperation<TResult> : StorageOperation
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult? _stagedResult;
    private Exception? _stagedRefusal;

    public Task<TResult> Completion => _completion.Task;

    /// <summary>The change was applied; the caller gets <paramref name="result"/> once it is committed.</summary>
    public void StageResult(TResult result)
    {
        _stagedResult = result;
        _stagedRefusal = null;
    }

    /// <summary>The change was refused (for example a version conflict) and changed nothing.</summary>
    public void StageRefusal(Exception refusal)
    {
        _stagedResult = default;
        _stagedRefusal = refusal;
    }

    public override void DiscardStaged()
    {
        _stagedResult = default;
        _stagedRefusal = null;
    }

    public override void Publish()
    {
        ReleaseCancellation();
        if (_stagedRefusal is { } refusal)
        {
            _completion.TrySetException(refusal);
        }
        else
        {
            _completion.TrySetResult(_stagedResult!);
        }
    }

    public override void Fail(Exception exception)
    {
        ReleaseCancellation();
        _completion.TrySetException(exception);
    }

    protected override void SetCanceled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
