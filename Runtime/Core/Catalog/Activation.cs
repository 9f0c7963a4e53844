using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Invocation;
using NexusOrleans.Runtime.Reminders;
using NexusOrleans.Runtime.Telemetry;
using NexusOrleans.Runtime.Timers;

namespace NexusOrleans.Runtime.Catalog;

/// <summary>
/// One live instance of a grain: its mailbox, its scheduler and its lifecycle, in one object.
/// </summary>
/// <remarks>
/// <para><b>Single-threaded turns.</b> The activation is both a <see cref="SynchronizationContext"/> and a thread-pool
/// work item. Everything that touches the grain — starting a call, and every continuation after an <c>await</c> in grain
/// code, which captures this context — goes through <see cref="_incoming"/> and is run by <see cref="Execute"/>, which
/// only one pool thread runs at a time (<see cref="_scheduled"/>). So grain code never runs on two threads at once, even
/// when read-only calls interleave. Grain code that escapes with <c>ConfigureAwait(false)</c> or <c>Task.Run</c> gives
/// that guarantee up, as in Orleans.</para>
/// <para><b>Turn rules.</b> A turn lasts from a call's start until its task completes, awaits included. Calls queue in
/// <see cref="_pending"/> in arrival order; a call without [ReadOnly], a timer tick, activation and deactivation each run
/// alone; [ReadOnly] calls may run together while no exclusive turn runs. A waiting exclusive turn blocks the read-only
/// calls behind it, so writers are not starved.</para>
/// <para><b>Lifecycle.</b> Created → Activating (the first turn constructs the grain, reads its state and runs
/// OnActivateAsync) → Valid → Deactivating (the last turn runs OnDeactivateAsync) → Invalid. An activation becomes Invalid
/// only after it has left the catalog, and refuses calls from then on; a refused sender looks the grain up again and so
/// reaches a fresh activation. That keeps one activation per key, and a new activation never reads state before its
/// predecessor's last write completed. A failed activation fails the calls queued for it and becomes Invalid, so the next
/// call tries afresh.</para>
/// <para>Fields under "mailbox" are guarded by the lock on this object; <see cref="Execute"/> takes everything queued in
/// one swap and works through it without the lock. The rest is touched only in context, except the two idle-collection
/// fields, which the collector reads and swaps atomically.</para>
/// </remarks>
internal sealed partial class Activation : SynchronizationContext, IThreadPoolWorkItem, IGrainContext, IRequestCompletion
{
    private readonly Catalog _catalog;
    private readonly GrainClass _class;

    // Mailbox, guarded by the lock on this object (internal type: nobody else locks it).
    private Queue<WorkItem> _incoming = new();
    private bool _scheduled;
    private ActivationState _state;
    private TaskCompletionSource? _deactivated;

    // Owned by the thread draining the mailbox: items taken from _incoming in one swap.
    private Queue<WorkItem>? _draining;

    // In context.
    private Queue<GrainRequest>? _pending;
    private GrainRequest? _priorityTurn;
    private int _runningReadOnly;
    private bool _runningExclusive;
    private bool _dispatching;
    private bool _deactivationQueued;
    private Grain? _grain;
    private List<GrainTimer>? _timers;
    private GrainReminderRegistry? _reminders;

    // Idle collection: set by every call, swapped to 0 by the collector, which then stamps when it last saw activity.
    private int _calledSinceLastPass;
    private long _lastSeenCalled;

    public Activation(Catalog catalog, GrainClass grainClass, GrainId grainId)
    {
        _catalog = catalog;
        _class = grainClass;
        GrainId = grainId;
        _lastSeenCalled = catalog.TimeProvider.GetTimestamp();
    }

    public GrainId GrainId { get; }

    public IGrainFactory GrainFactory => _catalog.GrainFactory;

    public TimeProvider TimeProvider => _catalog.TimeProvider;

    public IServiceProvider Services => _catalog.Services;

    public IGrainReminderRegistry Reminders => _reminders ??= new GrainReminderRegistry(_catalog.ReminderService, GrainId, _class);

    internal ILogger Logger => _catalog.Logger;

    private Queue<GrainRequest> Pending => _pending ??= new Queue<GrainRequest>();

    /// <summary>Queues a call or a runtime turn. False when this activation is gone: look the grain up again.</summary>
    public bool TryEnqueue(GrainRequest request)
    {
        bool schedule;
        lock (this)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            _incoming.Enqueue(new WorkItem(request, null));
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    /// <summary>Continuations of grain code, and the runtime's own control messages, come back here.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        bool schedule;
        lock (this)
        {
            // Continuations are accepted even when Invalid: they belong to work that already started and must finish.
            _incoming.Enqueue(new WorkItem(d, state));
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Runs inline when already in this context; blocking another thread on a grain is refused.</summary>
    public override void Send(SendOrPostCallback d, object? state)
    {
        if (Current != this)
        {
            throw new NotSupportedException($"Synchronous Send into grain {GrainId} is not supported; use Post or await.");
        }

        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Drains the mailbox on a pool thread; yields after a slice so other activations get their turn.</summary>
    public void Execute()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var budget = _catalog.Options.MaxWorkItemsPerSlice; budget > 0; budget--)
            {
                if (_draining is not { Count: > 0 } draining)
                {
                    lock (this)
                    {
                        if (_incoming.Count == 0)
                        {
                            _scheduled = false;
                            return;
                        }

                        // Take everything queued at once; the emptied queue collects what arrives meanwhile.
                        draining = _incoming;
                        _incoming = _draining ?? new Queue<WorkItem>();
                        _draining = draining;
                    }
                }

                Run(draining.Dequeue());
            }

            // Still scheduled: nobody else queues this work item meanwhile.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private void Run(in WorkItem item)
    {
        if (item.Callback is GrainRequest request)
        {
            Accept(request);
            return;
        }

        try
        {
            ((SendOrPostCallback)item.Callback)(item.State);
        }
        catch (Exception exception)
        {
            // Only code that bypasses tasks (async void, a throwing Post callback) gets here.
            LogUnhandledException(Logger, GrainId, exception);
        }
    }

    private void Accept(GrainRequest request)
    {
        switch (_state)
        {
            case ActivationState.Invalid:
                // Queued before this activation went away: deliver it to the grain's next activation.
                _catalog.Forward(GrainId, request);
                return;
            case ActivationState.Created:
                _state = ActivationState.Activating;
                Pending.Enqueue(new ActivationTurn(this));
                break;
        }

        if (_state == ActivationState.Valid && !_runningExclusive && _priorityTurn is null && _pending is not { Count: > 0 }
            && (request.IsReadOnly || _runningReadOnly == 0))
        {
            // Nothing queued or in the way: start it now, without the trip through the pending queue.
            Start(request);
            return;
        }

        Pending.Enqueue(request);
        Dispatch();
    }

    /// <summary>Starts every turn the turn rules allow now.</summary>
    private void Dispatch()
    {
        if (_dispatching)
        {
            // A turn completed synchronously inside Start: the loop below picks up where it was.
            return;
        }

        _dispatching = true;
        try
        {
            while (!_runningExclusive && _state != ActivationState.Invalid)
            {
                GrainRequest next;
                if (_priorityTurn is { } priority)
                {
                    if (_runningReadOnly > 0)
                    {
                        break;
                    }

                    _priorityTurn = null;
                    next = priority;
                }
                else if (_pending is { Count: > 0 } pending)
                {
                    next = pending.Peek();
                    if (!next.IsReadOnly && _runningReadOnly > 0)
                    {
                        break;
                    }

                    pending.Dequeue();
                }
                else
                {
                    break;
                }

                Start(next);
            }
        }
        finally
        {
            _dispatching = false;
        }
    }

    private void Start(GrainRequest request)
    {
        if (request.IsReadOnly)
        {
            _runningReadOnly++;
        }
        else
        {
            _runningExclusive = true;
        }

        if (request.CountsAsActivity)
        {
            Volatile.Write(ref _calledSinceLastPass, 1);
            _catalog.Metrics.CallStarted(_class.MetricTag);
        }

        CallTracing.Invoke(request, _grain ?? (object)this, this);
    }

    void IRequestCompletion.OnRequestCompleted(GrainRequest request)
    {
        if (request.IsReadOnly)
        {
            _runningReadOnly--;
        }
        else
        {
            _runningExclusive = false;
        }

        Dispatch();
    }

    private enum ActivationState
    {
        Created,
        Activating,
        Valid,
        Deactivating,
        Invalid,
    }

    private readonly record struct WorkItem(object Callback, object? State);
}
