// The inbox of one recipient: what it promises, under which failures, and why it is built this way.
//
// Promise. An envelope is kept only while unread and never past its relay-side expiry, min(sender's expiry, arrival +
// the maximum unread age): the network parameter, which governance may only lower, capped by this silo's
// Inbox:MaxUnreadAge ≤ 6 h (NetworkUnreadAge). Ack deletes it from storage before returning. Fetch never returns an expired envelope, whatever
// the state of the sweep, because it filters on read. A message id is stored at most once: a second copy, or a late
// copy of a message already read, is a Duplicate (read ids stay as tombstones, id + expiry, until that expiry). The
// depositor cannot tell "stored" from "read" duplicates apart: both answer the same, so deposits leak no read receipts.
// A tombstone lasts as long as the relay would have kept the envelope, no longer: a copy arriving after that (over 6 h
// late) but still within the sender's expiry is stored again. Keeping tombstones to the sender's expiry would close that
// gap at the price of keeping traces of read messages for as long as senders choose.
//
// Durability. Every change is written (WriteStateAsync) before the call returns and before any observer hears of it,
// so an observer never sees an envelope that a crash could still lose, and Stored means stored. When a write fails the
// activation drops itself (DeactivateOnIdle): its memory may be ahead of storage, and the next call starts over from
// what is stored. Nothing already stored is ever dropped to make room: a full inbox refuses the newcomer. The state is
// one row rewritten whole on each change: MaxEnvelopes and MaxBytes bound its envelopes; its tombstones (54 bytes each
// as stored: a 40-byte record in one base64 string, TombstonesJsonConverter) are bounded only by how many messages are
// read within MaxUnreadAge.
//
// Expiry without activity. Expiry must happen while the grain sleeps and across silo restarts, so it rides on one
// durable reminder ("expiry") due at the earliest expiry among envelopes and tombstones. A reminder per message, or a
// reminder write per deposit, would double the writes of the hot path, so the registered due time is kept in the state
// and the reminder is moved only when a deposit's expiry is earlier than it (rare: later deposits mostly expire later),
// and at each tick, which deletes everything expired as of now, writes, and then re-registers at the
// next earliest expiry, or, when nothing is left, clears the state and unregisters. Due times are rounded up to the
// millisecond, the reminder table's grain, so a tick never comes before the expiry it is for.
//
// Orders chosen so every failure errs on the side of an early or extra tick, never a missing one: on deposit the
// reminder is moved before the state that needs it is written; at a tick the state is written before the reminder is
// moved (if moving fails, the tick throws and the reminder's period, ExpiryRetryPeriod, brings a retry); on emptying, the
// state is cleared before the reminder is removed (a reminder left behind fires once on an empty inbox and removes
// itself). Ticks are idempotent ("bring up to date as of now"), as at-least-once delivery requires.
//
// Sequences. Fetch pages by sequence, and clients keep the cursor. Clearing an empty inbox deletes its counter too, so a
// new sequence is max(last + 1, clock in µs since 1970): it stays above any cursor handed out before the clear as long
// as the clock does not step back past it, and fits a JavaScript number until the 23rd century.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Grains.Inbox;

/// <summary>The inbox of one recipient identity. See the comment at the top of this file for its guarantees.</summary>
[GrainType("inbox")]
public sealed partial class InboxGrain(IOptions<InboxOptions> options, Network.NetworkUnreadAge networkUnreadAge, InboxMetrics metrics, ILogger<InboxGrain> logger)
    : Grain<InboxState>, IInboxGrain, IRemindable
{
    /// <summary>Name of the durable reminder that sweeps expired envelopes and tombstones.</summary>
    public const string ExpiryReminder = "expiry";

    private readonly InboxOptions _options = options.Value;
    private InboxContents? _contents;
    private ObserverManager<IInboxObserver>? _observers;

    // Rebuilt whenever the runtime hands the grain a new state object (activation, ClearStateAsync).
    private InboxContents Contents => _contents is { } contents && ReferenceEquals(contents.State, State)
        ? contents
        : _contents = new InboxContents(State);

    private ObserverManager<IInboxObserver> Observers => _observers ??= new(_options.ObserverExpiration, TimeProvider, logger);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        InboxIdentifiers.Require(Key, "An inbox key (the recipient's identity)", nameof(Key));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<DepositResult> Deposit(InboxEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        InboxIdentifiers.Require(envelope.Id, "An envelope's Id (the message id)", nameof(envelope));
        InboxIdentifiers.Require(envelope.Sender, "An envelope's Sender (the sender's identity)", nameof(envelope));
        if (envelope.Data is not { Length: > 0 })
        {
            throw new ArgumentException("An envelope's Data must hold the encoded envelope (got none).", nameof(envelope));
        }

        using var activity = NexusTelemetry.Source.StartActivity("inbox deposit");
        var now = TimeProvider.GetUtcNow();
        var contents = Contents;
        metrics.ExpiredUnread(contents.RemoveExpired(now).Envelopes);
        if (contents.TryGetKnownExpiry(envelope.Id, out var knownExpiry))
        {
            metrics.Refused(DepositStatus.Duplicate);
            return new DepositResult(DepositStatus.Duplicate, envelope.Id, knownExpiry, "This message was already received by this inbox.");
        }

        if (envelope.ExpiresAt <= now)
        {
            metrics.Refused(DepositStatus.Expired);
            return new DepositResult(DepositStatus.Expired, envelope.Id, envelope.ExpiresAt, $"The envelope expired at {envelope.ExpiresAt:O}.");
        }

        if (Refusal(contents, envelope) is { } reason)
        {
            LogInboxFull(logger, reason);
            metrics.Refused(DepositStatus.InboxFull);
            return new DepositResult(DepositStatus.InboxFull, envelope.Id, envelope.ExpiresAt, reason);
        }

        var expiresAt = Min(envelope.ExpiresAt, now + await networkUnreadAge.GetAsync(_options.MaxUnreadAge));
        await EnsureReminderNoLaterThanAsync(expiresAt, now);
        var stored = envelope with { Sequence = contents.NextSequence(now), ExpiresAt = expiresAt };
        contents.Add(stored);
        await PersistAsync();
        LogStored(logger, contents.Count, contents.Bytes);
        metrics.Stored(contents.Count, contents.Bytes);

        Observers.Notify(observer => observer.Deliver(stored));
        return new DepositResult(DepositStatus.Stored, stored.Id, expiresAt);
    }

    /// <inheritdoc />
    public Task<InboxPage> Fetch(long after, int limit)
        => Task.FromResult(Contents.Page(after, Math.Clamp(limit, 1, _options.MaxFetchPage), TimeProvider.GetUtcNow()));

    /// <inheritdoc />
    public async Task<int> Ack(IReadOnlyList<string> messageIds)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var contents = Contents;
        metrics.ExpiredUnread(contents.RemoveExpired(TimeProvider.GetUtcNow()).Envelopes);
        var burned = 0;
        foreach (var id in messageIds)
        {
            if (id is not null && contents.Burn(id))
            {
                burned++;
            }
        }

        // A tombstone keeps its envelope's expiry, which the registered reminder already covers.
        if (burned > 0)
        {
            await PersistAsync();
            LogAcked(logger, burned);
            metrics.Burned(burned);
        }

        return burned;
    }

    /// <inheritdoc />
    public Task Subscribe(IInboxObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Observers.Subscribe(observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Unsubscribe(IInboxObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }

        var now = TimeProvider.GetUtcNow();
        var contents = Contents;
        var (envelopes, tombstones) = contents.RemoveExpired(now);
        metrics.ExpiredUnread(envelopes);
        if (contents.EarliestExpiry is not { } earliest)
        {
            await PersistAsync();
            LogEmptied(logger, envelopes, tombstones);
            return;
        }

        var due = CeilingToMillisecond(earliest);
        if (envelopes + tombstones > 0 || State.ExpiryReminderDue != due)
        {
            State.ExpiryReminderDue = due;
            await PersistAsync();
        }

        // Always re-registered: the tick that is running moved the reminder's own next due time to one period later.
        await RegisterOrUpdateReminder(ExpiryReminder, due - now, _options.ExpiryRetryPeriod);
        LogSwept(logger, envelopes, tombstones, due);
    }

    /// <summary>Moves the expiry reminder earlier when <paramref name="expiresAt"/> comes before its due time.</summary>
    private async Task EnsureReminderNoLaterThanAsync(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var due = CeilingToMillisecond(expiresAt);
        if (State.ExpiryReminderDue is { } registered && registered <= due)
        {
            return;
        }

        await RegisterOrUpdateReminder(ExpiryReminder, due > now ? due - now : TimeSpan.Zero, _options.ExpiryRetryPeriod);
        State.ExpiryReminderDue = due;
    }

    /// <summary>Writes the state, or, when nothing is left, deletes it and the expiry reminder.</summary>
    private async Task PersistAsync()
    {
        try
        {
            if (!Contents.IsEmpty)
            {
                await WriteStateAsync();
                return;
            }

            var lastSequence = State.LastSequence;
            if (PersistentState.RecordExists)
            {
                await ClearStateAsync();
            }

            // Not stored any more, but kept while active so sequences stay increasing even if the clock steps back.
            State.LastSequence = lastSequence;
            await UnregisterReminder(ExpiryReminder);
            State.ExpiryReminderDue = null;
        }
        catch (Exception exception)
        {
            // The memory copy may now be ahead of storage: start the next call from what is stored.
            LogWriteFailed(logger, exception.GetType().Name);
            DeactivateOnIdle();
            throw;
        }
    }

    private string? Refusal(InboxContents contents, InboxEnvelope envelope)
    {
        if (contents.Count >= _options.MaxEnvelopes)
        {
            return $"The inbox is full: it holds at most {_options.MaxEnvelopes} unread envelopes (Inbox:MaxEnvelopes).";
        }

        if (contents.Bytes + envelope.Data.Length > _options.MaxBytes)
        {
            return $"The inbox is full: it holds at most {_options.MaxBytes} bytes of unread envelopes (Inbox:MaxBytes); this envelope has {envelope.Data.Length}.";
        }

        return null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static DateTimeOffset CeilingToMillisecond(DateTimeOffset value)
    {
        var remainder = value.UtcTicks % TimeSpan.TicksPerMillisecond;
        return remainder == 0 ? value : value.AddTicks(TimeSpan.TicksPerMillisecond - remainder);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Inbox stored an envelope; it holds {Count} envelopes, {Bytes} bytes")]
    private static partial void LogStored(ILogger logger, int count, long bytes);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Inbox refused an envelope: {Reason}")]
    private static partial void LogInboxFull(ILogger logger, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "Inbox burned {Count} read envelopes")]
    private static partial void LogAcked(ILogger logger, int count);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Inbox expiry removed {Envelopes} envelopes and {Tombstones} tombstones; next sweep at {Due:O}")]
    private static partial void LogSwept(ILogger logger, int envelopes, int tombstones, DateTimeOffset due);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Debug, Message = "Inbox expiry removed {Envelopes} envelopes and {Tombstones} tombstones; the inbox is empty, its state and reminder are gone")]
    private static partial void LogEmptied(ILogger logger, int envelopes, int tombstones);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Inbox failed to persist a change ({ExceptionType}); the activation is dropped and the next call reloads the stored state")]
    private static partial void LogWriteFailed(ILogger logger, string exceptionType);
}
