// The free messages of one identity on one UTC day.
//
// Promise. A message id is counted at most once: the first TryUse for an id while the day has room stores it and answers
// true, every later TryUse for it answers true without counting again, and once the day's limit is reached other ids
// answer false. So the copies of one message sent through five relays, and any resend of its bytes, use one free message
// between them. An id is written to storage before true is answered for it, so a crash cannot hand the same free slot
// to a second message; when the write fails the activation drops itself (its memory may be ahead of storage) and the
// caller's send fails as unavailable, which the phone may retry.
//
// Which day. The key's day is the envelope's created-at date, which every relay reads from the same bytes: a relay's own
// clock would put a message sent just before midnight on two days at two relays. A sender can pick its created-at only
// within the relays' bounds (at most MaxClockSkew ahead, and the envelope must not have expired, so at most 6 hours
// back), so at most the first hours of a day can draw on the day before's unused free messages.
//
// Bounded and temporary. The state holds at most the day's limit of ids (NetworkParameters caps it). It is deleted by a
// durable reminder, registered before the first write, due when every envelope of the day has expired: one day after
// the day ended is well past the 6-hour lifetime plus any clock skew, and no relay asks about that day again. The reminder
// removes itself after clearing; a failed clear is retried a period later. The next day is another key, another grain.
using Microsoft.Extensions.Logging;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Fees;

/// <summary>The free messages of one identity on one UTC day. See the comment at the top of this file for its guarantees.</summary>
[GrainType("free-quota")]
public sealed partial class FreeQuotaGrain(ILogger<FreeQuotaGrain> logger) : Grain<FreeQuotaState>, IFreeQuotaGrain, IRemindable
{
    /// <summary>Name of the durable reminder that deletes the state once the day is over for good.</summary>
    public const string CleanupReminder = "cleanup";

    /// <summary>How long after its day ends the state is kept: well past the 6-hour envelope lifetime plus clock skew.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    /// <summary>Period of the cleanup reminder: a clear that failed is tried again this much later.</summary>
    public static readonly TimeSpan CleanupRetryPeriod = TimeSpan.FromHours(1);

    private DateTimeOffset _cleanupAt;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!FreeQuotas.TryParseKey(Key, out _, out var day))
        {
            throw new ArgumentException(
                $"A free quota key is {{identity: 64 lowercase hex}}:{{UTC day: {FreeQuotas.DayFormat}}}; '{Key}' is not.", nameof(Key));
        }

        _cleanupAt = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + Retention;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<bool> TryUse(string messageId, int dailyLimit)
    {
        InboxIdentifiers.Require(messageId, "A message id", nameof(messageId));
        ArgumentOutOfRangeException.ThrowIfNegative(dailyLimit);
        if (State.MessageIds.Contains(messageId))
        {
            return true;
        }

        if (State.MessageIds.Count >= dailyLimit)
        {
            return false;
        }

        try
        {
            // Before the first write, so stored state always has a reminder that will delete it.
            if (!PersistentState.RecordExists)
            {
                var now = TimeProvider.GetUtcNow();
                await RegisterOrUpdateReminder(CleanupReminder, _cleanupAt > now ? _cleanupAt - now : TimeSpan.Zero, CleanupRetryPeriod);
            }

            State.MessageIds.Add(messageId);
            await WriteStateAsync();
        }
        catch (Exception exception)
        {
            LogWriteFailed(logger, exception.GetType().Name);
            DeactivateOnIdle();
            throw;
        }

        LogCounted(logger, State.MessageIds.Count, dailyLimit);
        return true;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CleanupReminder || TimeProvider.GetUtcNow() < _cleanupAt)
        {
            return;
        }

        // Cleared before the reminder goes: a reminder left behind by a failure fires once more on nothing and goes then.
        if (PersistentState.RecordExists)
        {
            await ClearStateAsync();
        }

        await UnregisterReminder(CleanupReminder);
        DeactivateOnIdle();
        LogCleared(logger);
    }

    [LoggerMessage(EventId = 3801, Level = LogLevel.Trace, Message = "Free message counted: {Count} of {Limit} used today")]
    private static partial void LogCounted(ILogger logger, int count, int limit);

    [LoggerMessage(EventId = 3802, Level = LogLevel.Debug, Message = "Free quota of a past day deleted")]
    private static partial void LogCleared(ILogger logger);

    [LoggerMessage(EventId = 3803, Level = LogLevel.Warning, Message = "Free quota failed to persist ({ExceptionType}); the activation is dropped and the next call reloads the stored state")]
    private static partial void LogWriteFailed(ILogger logger, string exceptionType);
}
