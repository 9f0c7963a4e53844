// The anchoring of one closed epoch: one grain per epoch, its progress in persistent state, its chain work in turns.
//
// Why a grain per epoch. The runtime already gives each key one activation cluster-wide (partition ownership with
// fencing), persistent state, and durable reminders: exactly what "anchor each epoch once, resume after any crash"
// needs, without a queue of our own. The epoch's state is small (the root, one step per transaction, each with the
// sender's record) and is what the epoch endpoints show. Epochs are independent; the one thing they share, the anchor
// account's nonce, is serialized by the single TransactionSender of the silo.
//
// How it runs. Start() (called by the epoch scheduler after a close, idempotent) fixes the steps from the stored batch,
// persists them and registers a reminder; the work itself runs in timer ticks, one step after another
// (AnchorStepRunner: read the chain, send, persist the record, wait for confirmations). Ticks are turns, so two never
// overlap and never run alongside a call. A tick waits at most Anchoring:WaitSlice for confirmations, then lets queued
// calls (status reads) in and resumes from the persisted record (reads and sends are never cut by the slice, only
// waiting is); it is cancelled when the silo stops. A failure
// (chain unreachable, a send refused) schedules the next tick after an exponential back-off, RetryInitial doubling up
// to RetryMax. The reminder brings the grain back after a restart or a move to another silo, where OnActivateAsync
// resumes with WaitAsync on whatever record was persisted. When one step is in conflict with the chain, the reminder is
// removed: a conflict is an alarm for people, not something to retry forever.
//
// The watch after confirmation. Confirmations only make a reorg that takes the anchor away unlikely, and when one
// happens nobody else notices: the root is gone and every claim of the epoch fails with EpochNotAnchored. So when every
// step is confirmed the grain stores the time (ConfirmedAt) and keeps its reminder for Anchoring:WatchFor: on each
// reminder a tick reads the chain (the anchored root, slashed(operator, epoch)). Still there: nothing happens, and once
// WatchFor has passed since ConfirmedAt the reminder is removed and the epoch is done for good. Gone: the step goes
// back to pending with no transaction record (logged as a warning, 4208), the epoch is in the backlog again, and the
// same tick sends a new transaction with a nonce read afresh from the node (the old signed one may hold a nonce the
// chain has since given to another transaction, or fees from another time) and waits for it as for the first; the
// watch starts again from the new confirmation. Another root: the conflict above. WatchFor = 0 removes the reminder
// at confirmation and never reads the chain again. State stored before the watch existed has no ConfirmedAt and is
// not watched: its reminder was removed at confirmation, so only a stray status read would wake it, and watching
// only the epochs someone happened to look at would be arbitrary; nearly all of them were confirmed longer ago than
// WatchFor anyway.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>Anchors one epoch. See the comment at the top of this file.</summary>
[GrainType("anchor")]
public sealed class AnchorGrain(
    AnchorChain chain, AnchorBacklog backlog, IOptions<AnchoringOptions> options, IHostApplicationLifetime lifetime, ILogger<AnchorGrain> logger)
    : Grain<AnchorGrainState>, IAnchorGrain, IRemindable
{
    /// <summary>The reminder that resumes an unfinished anchoring.</summary>
    public const string Reminder = "anchor";

    private readonly AnchoringOptions _options = options.Value;
    private IGrainTimer? _timer;
    private bool _ticking;
    private bool _due;
    private int _failures;

    private bool Finished => State.QueuedAt is not null && State.Steps.All(step => step.IsFinished);

    /// <summary>Every step confirmed and the watch for a deeper reorg still on (see the comment at the top of this file).</summary>
    private bool Watching => Finished
                             && State.ConfirmedAt is not null
                             && _options.WatchFor > TimeSpan.Zero
                             && State.Steps.Count > 0
                             && State.Steps.All(step => step.State == AnchorState.Confirmed);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!EpochKeys.TryParse(Key, out _))
        {
            throw new ArgumentException($"An anchor grain's key is an epoch key, e.g. 2026-11-21T10 (got \"{Key}\").", nameof(Key));
        }

        if (State.QueuedAt is { } queuedAt && !Finished)
        {
            backlog.Pending(Key, queuedAt);
            Schedule(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        backlog.Forget(Key);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task Start()
    {
        if (State.QueuedAt is not null)
        {
            return;
        }

        var batch = await GrainFactory.GetGrain<IRewardEpochGrain>(Key).GetBatch()
                    ?? throw new InvalidOperationException($"The epoch {Key} has no batch yet; it can be anchored once it is closed.");
        State.ChainEpoch = EpochKeys.ChainEpoch(batch.Hour);
        State.Root = batch.Root;
        State.QueuedAt = TimeProvider.GetUtcNow();
        State.Steps = batch.Root is null
            ? []
            : [
                new AnchorStepState { Kind = AnchorStepKind.Anchor },
                .. batch.Leaves.Where(leaf => leaf.Slash > UInt128.Zero)
                    .Select(leaf => new AnchorStepState { Kind = AnchorStepKind.Slash, Operator = leaf.Operator, Amount = leaf.Slash }),
            ];
        await WriteStateAsync();
        if (batch.Root is null)
        {
            AnchorLog.NothingToAnchor(logger, Key);
            return;
        }

        AnchorLog.Queued(logger, Key, State.ChainEpoch, batch.Root, State.Steps.Count);
        await RegisterOrUpdateReminder(Reminder, _options.ReminderPeriod, _options.ReminderPeriod);
        backlog.Pending(Key, State.QueuedAt.Value);
        Schedule(TimeSpan.Zero);
    }

    /// <inheritdoc />
    public Task<AnchorStatus?> GetStatus()
    {
        if (State.QueuedAt is not { } queuedAt)
        {
            return Task.FromResult<AnchorStatus?>(null);
        }

        return Task.FromResult<AnchorStatus?>(new AnchorStatus(Key, State.ChainEpoch, State.Root, Overall(), queuedAt, [.. State.Steps.Select(step => step.ToStatus())]));
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Reminder)
        {
            return;
        }

        if (State.QueuedAt is null || (Finished && !Watching))
        {
            await UnregisterReminder(Reminder);
            return;
        }

        // Activation, or a failure's back-off, may have a tick scheduled already; this only arms one when none is.
        if (!_due)
        {
            Schedule(TimeSpan.Zero);
        }
    }

    private AnchorState Overall()
    {
        if (State.Steps.Count == 0)
        {
            return AnchorState.Nothing;
        }

        if (State.Steps.Any(step => step.State == AnchorState.Conflict))
        {
            return AnchorState.Conflict;
        }

        if (State.Steps.All(step => step.State == AnchorState.Confirmed))
        {
            return AnchorState.Confirmed;
        }

        return State.Steps.Any(step => step.State is AnchorState.Sent or AnchorState.Confirmed) ? AnchorState.Sent : AnchorState.Pending;
    }

    /// <summary>Arms the next tick. From inside a tick the timer re-arms itself once the tick is over, so no tick is lost.</summary>
    private void Schedule(TimeSpan due)
    {
        _due = true;
        if (_timer is null)
        {
            _timer = RegisterGrainTimer(TickAsync, due, Timeout.InfiniteTimeSpan);
        }
        else if (_ticking)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, due <= TimeSpan.Zero ? TimeSpan.FromTicks(1) : due);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _ticking = true;
        _due = false;
        _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using var slice = new CancellationTokenSource(_options.WaitSlice, TimeProvider);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            var runner = new AnchorStepRunner(chain, backlog, logger, Key, State.ChainEpoch, State.Root);
            if (Watching && await StillOnChainAsync(runner, stopping.Token))
            {
                _failures = 0;
                await WatchedAsync();
                return;
            }

            foreach (var step in State.Steps.Where(step => !step.IsFinished))
            {
                await runner.RunAsync(step, WriteStateAsync, stopping.Token, slice.Token);
                if (step.State == AnchorState.Conflict)
                {
                    break;
                }
            }

            _failures = 0;
            await FinishAsync();
        }
        catch (OperationCanceledException) when (slice.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            Schedule(TimeSpan.Zero); // the slice is over: let queued calls in, then go on waiting
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Deactivating or stopping: the persisted record is where the next activation resumes.
        }
        catch (Exception exception)
        {
            _failures++;
            var delay = Backoff(_failures);
            AnchorLog.Failed(logger, Key, _failures, exception.GetType().Name, exception.Message, delay);
            Schedule(delay);
        }
        finally
        {
            _ticking = false;
        }
    }

    /// <summary>
    /// Reads every step's effect on the chain; true when all are still there. Otherwise the steps that are gone are
    /// pending again (or one is in conflict), the watch is over until the next confirmation, and the epoch is counted
    /// in the backlog again from when it was queued: its claims fail until it is anchored anew.
    /// </summary>
    private async Task<bool> StillOnChainAsync(AnchorStepRunner runner, CancellationToken cancellationToken)
    {
        var still = true;
        foreach (var step in State.Steps)
        {
            if (await runner.StillOnChainAsync(step, WriteStateAsync, cancellationToken))
            {
                continue;
            }

            still = false;
            if (step.State == AnchorState.Conflict)
            {
                break;
            }

            backlog.Pending(Key, State.QueuedAt!.Value);
        }

        if (!still)
        {
            State.ConfirmedAt = null;
            await WriteStateAsync();
        }

        return still;
    }

    /// <summary>Still on chain: the watch goes on until WatchFor has passed since the confirmation, then the epoch is done.</summary>
    private async Task WatchedAsync()
    {
        if (TimeProvider.GetUtcNow() - State.ConfirmedAt!.Value >= _options.WatchFor)
        {
            AnchorLog.WatchOver(logger, Key, _options.WatchFor);
            await UnregisterReminder(Reminder);
        }
    }

    private async Task FinishAsync()
    {
        if (State.Steps.Any(step => step.State == AnchorState.Conflict))
        {
            backlog.Conflict(Key);
            await UnregisterReminder(Reminder);
            return;
        }

        backlog.Forget(Key);
        AnchorLog.Anchored(logger, Key);
        if (_options.WatchFor > TimeSpan.Zero && State.Steps.Count > 0)
        {
            // The reminder registered by Start stays, at its period, to bring the watch back (see the top of this file).
            State.ConfirmedAt = TimeProvider.GetUtcNow();
            await WriteStateAsync();
        }
        else
        {
            await UnregisterReminder(Reminder);
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.RetryInitial.Ticks * factor, _options.RetryMax.Ticks));
        return delay;
    }
}
