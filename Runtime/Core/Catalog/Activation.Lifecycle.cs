using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Invocation;
using NexusOrleans.Runtime.State;
using NexusOrleans.Runtime.Timers;

namespace NexusOrleans.Runtime.Catalog;

/// <summary>Activation, deactivation, idle collection, timers and shutdown of one activation; all in context.</summary>
internal sealed partial class Activation
{
    /// <summary>Runs as the first turn: construct, attach, read state, OnActivateAsync. Never throws.</summary>
    private async Task ActivateAsync()
    {
        if (!_catalog.Partitions.Lookup(GrainId).IsLocal)
        {
            // The partition was lost between the catalog's check and this first turn: nothing ran, so just go away and
            // hand the queued calls back to the catalog, which refuses them as not owned here.
            LeaveBeforeActivating();
            return;
        }

        var stage = "constructing the grain";
        try
        {
            var grain = _class.Create(_catalog.Services);
            grain.Attach(this);
            if (grain is IStatefulGrain stateful)
            {
                stage = "reading its state";
                var state = _catalog.StateFactory.Create(stateful.StateType, GrainId);
                stateful.AttachState(state);
                await state.ReadStateAsync(_catalog.StoppingToken);
            }

            _grain = grain;
            stage = "running OnActivateAsync";
            await grain.OnActivateAsync(_catalog.StoppingToken);
            _state = ActivationState.Valid;
            _catalog.Metrics.Activated(_class.MetricTag);
            LogActivated(Logger, GrainId);
        }
        catch (Exception exception)
        {
            LogActivationFailed(Logger, GrainId, stage, exception);
            DisposeTimers();
            _grain = null;
            _priorityTurn = null;
            BecomeInvalid();

            // The calls queued for this activation fail; later ones reach a fresh activation.
            if (_pending is { } pending)
            {
                while (pending.TryDequeue(out var queued))
                {
                    queued.Fail(new GrainActivationException(GrainId, stage, exception));
                }
            }
        }
    }

    /// <summary>Runs as the last turn: stop timers, OnDeactivateAsync, leave the catalog, hand queued calls on. Never throws.</summary>
    private async Task DeactivateAsync(DeactivationReason reason)
    {
        _state = ActivationState.Deactivating;
        DisposeTimers();
        try
        {
            await _grain!.OnDeactivateAsync(reason, _catalog.StoppingToken);
        }
        catch (Exception exception)
        {
            LogDeactivationHookFailed(Logger, GrainId, exception);
        }

        LogDeactivated(Logger, GrainId, reason.Code);
        BecomeInvalid();
        if (_pending is { } pending)
        {
            while (pending.TryDequeue(out var queued))
            {
                if (queued is IRuntimeTurn)
                {
                    queued.Fail(new ObjectDisposedException(GrainId.ToString(), "The activation was deactivated."));
                }
                else
                {
                    _catalog.Forward(GrainId, queued);
                }
            }
        }
    }

    private void LeaveBeforeActivating()
    {
        _priorityTurn = null;
        BecomeInvalid();
        if (_pending is { } pending)
        {
            while (pending.TryDequeue(out var queued))
            {
                if (queued is IRuntimeTurn)
                {
                    queued.Fail(new ObjectDisposedException(GrainId.ToString(), "The activation never started: its partition moved."));
                }
                else
                {
                    _catalog.Forward(GrainId, queued);
                }
            }
        }
    }

    /// <summary>Leaves the catalog first, then refuses calls: a refused sender then finds no entry and starts afresh.</summary>
    private void BecomeInvalid()
    {
        _catalog.Remove(this);
        TaskCompletionSource? deactivated;
        lock (this)
        {
            _state = ActivationState.Invalid;
            deactivated = _deactivated;
        }

        deactivated?.TrySetResult();
    }

    private void RequestDeactivation(DeactivationReason reason, bool beforeQueuedCalls)
    {
        if (_deactivationQueued || _state is ActivationState.Deactivating or ActivationState.Invalid)
        {
            return;
        }

        if (_state == ActivationState.Created)
        {
            // Nothing ran yet, so there is nothing to deactivate; queued calls are forwarded as they are drained.
            BecomeInvalid();
            return;
        }

        _deactivationQueued = true;
        var turn = new DeactivationTurn(this, reason);
        if (beforeQueuedCalls)
        {
            _priorityTurn = turn;
        }
        else
        {
            Pending.Enqueue(turn);
        }

        Dispatch();
    }

    public void DeactivateOnIdle()
    {
        EnsureInContext(nameof(DeactivateOnIdle));
        RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "the grain asked to be deactivated"), beforeQueuedCalls: true);
    }

    /// <summary>
    /// Called by the collector on each pass, outside the activation's context. A call since the last pass moves the
    /// last-seen stamp to now; otherwise, once that stamp is <paramref name="age"/> old, the activation is asked to collect
    /// itself, which it confirms in context. A call just after a pass is seen at the next one, so an activation goes
    /// between <paramref name="age"/> and <paramref name="age"/> plus one pass after its last call, and never earlier.
    /// </summary>
    public void CollectIfIdle(long now, TimeSpan age)
    {
        if (Interlocked.Exchange(ref _calledSinceLastPass, 0) != 0)
        {
            Volatile.Write(ref _lastSeenCalled, now);
            return;
        }

        if (_catalog.TimeProvider.GetElapsedTime(Volatile.Read(ref _lastSeenCalled), now) >= age)
        {
            Post(static state => ((Activation)state!).CollectNow(), this);
        }
    }

    private void CollectNow()
    {
        var idle = _state == ActivationState.Valid && !_runningExclusive && _runningReadOnly == 0
                   && _priorityTurn is null && _pending is not { Count: > 0 }
                   && Volatile.Read(ref _calledSinceLastPass) == 0;
        if (idle)
        {
            var age = _catalog.Options.CollectionAge;
            RequestDeactivation(new DeactivationReason(DeactivationReasonCode.IdleCollection, $"no call for {age}"), beforeQueuedCalls: true);
        }
    }

    /// <summary>Queues deactivation behind the calls already accepted; the task completes when the activation is gone.</summary>
    public Task DeactivateForShutdownAsync()
        => QueueDeactivation(new DeactivationReason(DeactivationReasonCode.ShuttingDown, "the silo is shutting down"), beforeQueuedCalls: false);

    /// <summary>
    /// The silo no longer owns the grain's partition: deactivate after the turn running now, before the calls queued, which
    /// are handed back to the catalog and refused there as not owned here. Completes when the activation is gone.
    /// </summary>
    public Task DeactivateForPartitionLossAsync()
        => QueueDeactivation(new DeactivationReason(DeactivationReasonCode.PartitionLost, "this silo no longer owns the grain's partition"), beforeQueuedCalls: true);

    private Task QueueDeactivation(DeactivationReason reason, bool beforeQueuedCalls)
    {
        Task task;
        lock (this)
        {
            if (_state == ActivationState.Invalid)
            {
                return Task.CompletedTask;
            }

            task = (_deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        Post(static state =>
        {
            var (activation, reason, beforeQueuedCalls) = ((Activation, DeactivationReason, bool))state!;
            activation.RequestDeactivation(reason, beforeQueuedCalls);
        }, (this, reason, beforeQueuedCalls));
        return task;
    }

    /// <summary>The shutdown deadline passed: fail the calls still queued so their callers are not left waiting.</summary>
    public void Abandon()
        => Post(static state =>
        {
            var activation = (Activation)state!;
            if (activation._pending is { } pending)
            {
                while (pending.TryDequeue(out var queued))
                {
                    queued.Fail(new SiloUnavailableException($"The silo stopped before grain {activation.GrainId} could run this call."));
                }
            }
        }, this);

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        EnsureInContext(nameof(RegisterTimer));
        var timer = new GrainTimer(this, callback, dueTime, period);
        (_timers ??= []).Add(timer);
        return timer;
    }

    /// <summary>From the timer's thread: queue a tick turn unless the activation is gone.</summary>
    internal bool TryEnqueueTimerTick(GrainTimer timer) => TryEnqueue(new TimerTickTurn(timer));

    internal void OnTimerDisposed(GrainTimer timer)
    {
        if (Current == this)
        {
            _timers?.Remove(timer);
        }
    }

    private void DisposeTimers()
    {
        if (_timers is { } timers)
        {
            _timers = null;
            foreach (var timer in timers)
            {
                timer.Dispose();
            }
        }
    }

    private void EnsureInContext(string operation)
    {
        if (Current != this)
        {
            throw new InvalidOperationException(
                $"{operation} must be called from a turn of grain {GrainId} (its own method, timer or hook), not from another thread.");
        }
    }

    /// <summary>A turn the runtime schedules itself; never forwarded to another activation.</summary>
    private interface IRuntimeTurn;

    private sealed class ActivationTurn(Activation activation) : VoidGrainRequest, IRuntimeTurn
    {
        public override string MethodName => "(activate)";

        protected override ValueTask InvokeCore(object target) => new(activation.ActivateAsync());
    }

    private sealed class DeactivationTurn(Activation activation, DeactivationReason reason) : VoidGrainRequest, IRuntimeTurn
    {
        public override string MethodName => "(deactivate)";

        protected override ValueTask InvokeCore(object target) => new(activation.DeactivateAsync(reason));
    }

    private sealed class TimerTickTurn(GrainTimer timer) : VoidGrainRequest, IRuntimeTurn
    {
        public override string MethodName => "(timer)";

        public override bool CountsAsActivity => false;

        protected override ValueTask InvokeCore(object target) => new(timer.TickAsync());
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Activated {GrainId}")]
    private static partial void LogActivated(ILogger logger, GrainId grainId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Activation of {GrainId} failed while {Stage}; its queued calls fail and the next call tries again")]
    private static partial void LogActivationFailed(ILogger logger, GrainId grainId, string stage, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    private static partial void LogDeactivated(ILogger logger, GrainId grainId, DeactivationReasonCode reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} threw; the activation is deactivated anyway")]
    private static partial void LogDeactivationHookFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Unhandled exception in grain {GrainId} outside any call (async void or a posted callback)")]
    private static partial void LogUnhandledException(ILogger logger, GrainId grainId, Exception exception);
}
