// The durable outbox shared by accounts and the supply: what it guarantees, under which failures, and why this way.
//
// Conservation. Value moves between grains by debit-then-credit, a saga of two local transactions. The paying grain
// changes its own amounts, records the entry id and appends the credit it now owes to its outbox, all in ONE state
// write: from that write on the value is in transit and shows as Outgoing. It then delivers the credit
// (IAccountGrain.Credit or ISupplyGrain.RecordBurn, under the id "{source}:{entry id}") and, once the receiver has
// answered, removes it from the outbox with a second write. A receiver applies a credit id once (Received), so delivering
// a credit again after any failure (the answer lost, the second write failed, the silo gone between the two halves) adds
// nothing. So at every stored instant minted = Σ balances + Σ stakes + burned + in transit, where in transit is the
// outbox entries their receivers have not applied yet: a crash between the halves leaves the value in the outbox, never
// lost and never credited twice. Outgoing counts an entry until the payer has stored that it landed, so for the moment
// between the receiver's write and the payer's (until the next retry, when the payer's write fails) a credit shows at
// both ends; sums of outgoing are therefore an upper bound of what is in transit, exact once outboxes are empty.
//
// Retries. A credit in an outbox is delivered again when its grain activates, and on every tick of a durable reminder
// ("ledger-outbox", period Ledger:OutboxRetryPeriod). The reminder is registered before the write that first puts a
// credit in the outbox, and only a tick that finds the outbox empty removes it, after storing that it did (the
// OutboxReminderRegistered flag). So whenever storage holds an undelivered credit it also holds a reminder that will
// fire, across deactivations and silo restarts, while a busy grain pays one reminder write when it starts paying and one
// when it has been quiet for a period, not one per movement.
//
// No turn waits without bound on another grain. Grain calls have no timeout and a turn holds its grain until it ends, so
// a transfer A→B awaiting B.Credit while a transfer B→A awaits A.Credit would block both grains for ever (and a mint to
// an account that is burning would do the same with the supply). So activation and reminder ticks only start
// deliveries; an operation awaits its own credit for at most Ledger:CreditWait. A caller therefore normally finds the
// money at the receiver when the call returns, and in such a cycle both calls return after CreditWait with their credits
// outgoing. A delivery that lands after its turn ended is confirmed by a call of the grain to itself
// (ILedgerOutboxGrain.ConfirmDelivered), an ordinary queued turn: the state only ever changes inside a turn, and what
// runs between turns (the continuations of deliveries) touches nothing but the in-memory list of calls in flight.
//
// Write failures. A failed write may leave memory ahead of storage, so the grain drops its activation (DeactivateOnIdle,
// which runs before any queued call) and rethrows; the next call starts from what is stored. The one exception is the
// second write of an operation, made after its credit landed: the movement is complete on both sides, so the call still
// answers Applied, and the stale outbox entry is delivered again by the next activation, answered as already applied,
// and removed.
//
// Idempotency is per grain and kept for ever: Applied and Received grow by one id per movement, because the ledger cannot
// know when a caller has stopped retrying, and the state is one row rewritten whole on every change, so each movement
// writes them all again. For transfers, stakes and hourly rewards that is small. Per-message fee entries would make the
// busiest rows (the supply's, the treasury's, an operator's) grow without bound and need a retention rule first (ids
// forgotten after the longest retry window, behind a high-water mark). Refused operations (insufficient balance or stake)
// are not recorded, so the same id may succeed later.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// What accounts and the supply share: applying entries once, and the durable outbox of credits owed to other ledger
/// grains. See the comment at the top of this file for its guarantees.
/// </summary>
/// <typeparam name="TState">The grain's stored state.</typeparam>
public abstract class LedgerGrain<TState>(IOptions<LedgerOptions> options, ILogger logger)
    : Grain<TState>, ILedgerOutboxGrain, IRemindable
    where TState : LedgerState, new()
{
    /// <summary>Name of the durable reminder that delivers undelivered credits again.</summary>
    public const string OutboxReminder = "ledger-outbox";

    private readonly LedgerOptions _options = options.Value;

    // Deliveries started and not answered yet, by entry id. Touched only in this activation's context.
    private readonly Dictionary<string, Task<bool>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Base units debited here whose credit has not been confirmed yet.</summary>
    protected UInt128 Outgoing
    {
        get
        {
            var total = UInt128.Zero;
            foreach (var credit in State.Outbox)
            {
                total = checked(total + credit.Amount);
            }

            return total;
        }
    }

    /// <summary>Starts delivering what the outbox holds; derived grains check their key first.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var credit in State.Outbox.ToList())
        {
            DeliverInBackground(credit);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != OutboxReminder)
        {
            return;
        }

        if (State.Outbox.Count > 0)
        {
            LedgerLog.RetryingOutbox(logger, GrainId, State.Outbox.Count);
            foreach (var credit in State.Outbox.ToList())
            {
                DeliverInBackground(credit);
            }

            return;
        }

        // Stored first: a crash in between leaves one extra tick on an empty outbox, never an outbox without a reminder.
        if (State.OutboxReminderRegistered)
        {
            State.OutboxReminderRegistered = false;
            await PersistAsync();
        }

        await UnregisterReminder(OutboxReminder);
        LedgerLog.OutboxEmpty(logger, GrainId);
    }

    /// <inheritdoc />
    async Task ILedgerOutboxGrain.ConfirmDelivered(string entryId)
    {
        if (State.Outbox.RemoveAll(credit => credit.EntryId == entryId) > 0)
        {
            await PersistAsync();
        }
    }

    /// <summary>The answer to an operation whose id this grain applied before, or null when it did not.</summary>
    protected EntryResult? AlreadyApplied(string entryId)
        => State.Applied.Contains(entryId) ? new EntryResult(EntryStatus.AlreadyApplied, entryId) : null;

    /// <summary>Refuses an operation; nothing changes and the id stays free.</summary>
    protected EntryResult Refuse(string entryId, string operation, EntryStatus status, string reason)
    {
        LedgerLog.Refused(logger, GrainId, entryId, operation, status);
        return new EntryResult(status, entryId, reason);
    }

    /// <summary>Applies a change that stays inside this grain: <paramref name="change"/> and the entry id in one write.</summary>
    protected async Task<EntryResult> ApplyLocalAsync(string entryId, string operation, Action change)
    {
        change();
        State.Applied.Add(entryId);
        await PersistAsync();
        LedgerLog.Applied(logger, GrainId, entryId, operation);
        return new EntryResult(EntryStatus.Applied, entryId);
    }

    /// <summary>
    /// Applies a movement to another ledger grain: <paramref name="debit"/>, the entry id and the credit owed to
    /// <paramref name="to"/> in one write; then delivers the credit, waiting for it at most <c>Ledger:CreditWait</c>.
    /// </summary>
    protected async Task<EntryResult> MoveAsync(string entryId, string operation, string to, UInt128 amount, Action debit)
    {
        // Before any change, so that a failure to register leaves nothing to undo.
        await EnsureOutboxReminderAsync();
        debit();
        State.Applied.Add(entryId);
        var credit = new PendingCredit(entryId, to, amount);
        State.Outbox.Add(credit);
        await PersistAsync();
        LedgerLog.Applied(logger, GrainId, entryId, operation);

        var delivery = Deliver(credit);
        try
        {
            await delivery.WaitAsync(_options.CreditWait, TimeProvider);
        }
        catch (TimeoutException)
        {
            LedgerLog.CreditStillInFlight(logger, GrainId, entryId, to, _options.CreditWait);
            _ = ConfirmWhenDeliveredAsync(entryId, delivery);
            return new EntryResult(EntryStatus.Applied, entryId);
        }

        if (await delivery && State.Outbox.RemoveAll(pending => pending.EntryId == entryId) > 0)
        {
            try
            {
                await PersistAsync();
            }
            catch (Exception)
            {
                // Logged, and the activation is dropped. The movement is complete on both sides; see "Write failures" above.
            }
        }

        return new EntryResult(EntryStatus.Applied, entryId);
    }

    /// <summary>Writes the state; when that fails, drops the activation (memory may be ahead of storage) and rethrows.</summary>
    protected async Task PersistAsync()
    {
        try
        {
            await WriteStateAsync();
        }
        catch (Exception exception)
        {
            LedgerLog.WriteFailed(logger, GrainId, exception.GetType().Name);
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task EnsureOutboxReminderAsync()
    {
        if (State.OutboxReminderRegistered)
        {
            return;
        }

        await RegisterOrUpdateReminder(OutboxReminder, _options.OutboxRetryPeriod, _options.OutboxRetryPeriod);
        State.OutboxReminderRegistered = true;
    }

    /// <summary>Starts a delivery outside any turn, and confirms it in a turn of its own once it lands.</summary>
    private void DeliverInBackground(PendingCredit credit)
    {
        if (!_inFlight.ContainsKey(credit.EntryId))
        {
            _ = ConfirmWhenDeliveredAsync(credit.EntryId, Deliver(credit));
        }
    }

    /// <summary>The delivery of <paramref name="credit"/>: the one in flight, or a new one. Completes with true once the receiver holds it; never throws.</summary>
    private Task<bool> Deliver(PendingCredit credit)
    {
        if (_inFlight.TryGetValue(credit.EntryId, out var running))
        {
            return running;
        }

        var delivery = DeliverAsync(credit);
        if (!delivery.IsCompleted)
        {
            _inFlight[credit.EntryId] = delivery;
        }

        return delivery;
    }

    private async Task<bool> DeliverAsync(PendingCredit credit)
    {
        try
        {
            var creditId = LedgerEntries.CreditId(Key, credit.EntryId);
            var result = credit.To == LedgerAccounts.Supply
                ? await GrainFactory.GetGrain<ISupplyGrain>(LedgerAccounts.Supply).RecordBurn(creditId, credit.Amount)
                : await GrainFactory.GetGrain<IAccountGrain>(credit.To).Credit(creditId, credit.Amount);
            if (result.Succeeded)
            {
                return true;
            }

            LedgerLog.CreditRefused(logger, GrainId, credit.EntryId, credit.To, result.Status);
            return false;
        }
        catch (Exception exception)
        {
            LedgerLog.DeliveryFailed(logger, GrainId, credit.EntryId, credit.To, exception);
            return false;
        }
        finally
        {
            _inFlight.Remove(credit.EntryId);
        }
    }

    private async Task ConfirmWhenDeliveredAsync(string entryId, Task<bool> delivery)
    {
        if (!await delivery)
        {
            return;
        }

        try
        {
            await AsReference<ILedgerOutboxGrain>().ConfirmDelivered(entryId);
        }
        catch (Exception exception)
        {
            LedgerLog.ConfirmFailed(logger, GrainId, entryId, exception.GetType().Name);
        }
    }
}
