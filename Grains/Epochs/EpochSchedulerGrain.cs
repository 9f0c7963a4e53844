// Closes every epoch once it is over, including the epochs that ended while no silo was running. An epoch is a UTC
// hour unless Epochs:Length is shorter.
//
// One grain, one durable reminder: each tick closes, oldest first, every epoch from the one after the last closed up
// to the last that has ended (plus the close delay), at most MaxHoursPerTick per tick, recording each before moving
// on. The record is written after the epoch's own Close returned, so a crash in between only means that epoch's Close
// runs again on the next tick, which is harmless: Close is idempotent (RewardEpochGrain). A failed Close stops the
// tick there and the reminder's period brings the retry; a later epoch is never closed before an earlier one.
//
// The record keeps the length the last epoch was closed with. If Epochs:Length changes, the next epoch closed is the
// first of the new length that starts at or after the end of the last one closed, so no stretch of time is paid twice.
// Listeners (IEpochClosedListener: anchoring) are told after the close and before the record, under the same rule.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Epochs;

/// <summary>The epoch scheduler. See the comment at the top of this file.</summary>
[GrainType("epoch-scheduler")]
public sealed partial class EpochSchedulerGrain(IOptions<EpochOptions> options, IEnumerable<IEpochClosedListener> listeners, ILogger<EpochSchedulerGrain> logger)
    : Grain<EpochSchedulerState>, IEpochSchedulerGrain, IRemindable
{
    /// <summary>The scheduler's reminder.</summary>
    public const string Reminder = "close-epochs";

    private readonly EpochOptions _options = options.Value;
    private readonly IEpochClosedListener[] _listeners = [.. listeners];

    /// <inheritdoc />
    public async Task Start()
    {
        if (State.FirstHour is null)
        {
            State.FirstHour = EpochKeys.StartOf(TimeProvider.GetUtcNow(), _options.Length);
            State.Length = _options.Length;
            await WriteStateAsync();
        }

        await RegisterOrUpdateReminder(Reminder, _options.SchedulerPeriod, _options.SchedulerPeriod);
    }

    /// <inheritdoc />
    public Task<string?> LastClosed() =>
        Task.FromResult(State.LastClosed is { } last ? EpochKeys.Format(last, State.Length ?? EpochKeys.Hour) : null);

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Reminder || State.FirstHour is not { } first)
        {
            return;
        }

        var length = _options.Length;
        var next = StartAtOrAfter(State.LastClosed is { } last ? last + (State.Length ?? EpochKeys.Hour) : first, length);
        for (var closed = 0; closed < _options.MaxHoursPerTick && next + length + _options.CloseDelay <= TimeProvider.GetUtcNow(); closed++)
        {
            var key = EpochKeys.Format(next, length);
            try
            {
                var batch = await GrainFactory.GetGrain<IRewardEpochGrain>(key).Close();
                foreach (var listener in _listeners)
                {
                    await listener.EpochClosedAsync(key, batch);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCloseFailed(logger, key, exception.GetType().Name, exception.Message);
                return;
            }

            State.LastClosed = next;
            State.Length = length;
            await WriteStateAsync();
            next += length;
        }
    }

    /// <summary>The start of the first epoch of <paramref name="length"/> that starts at or after <paramref name="instant"/>.</summary>
    private static DateTimeOffset StartAtOrAfter(DateTimeOffset instant, TimeSpan length)
    {
        var start = EpochKeys.StartOf(instant, length);
        return start == instant ? start : start + length;
    }

    [LoggerMessage(EventId = 3611, Level = LogLevel.Warning, Message = "Closing epoch {Epoch} failed with {ExceptionType}: {Reason}; retrying on the next tick")]
    private static partial void LogCloseFailed(ILogger logger, string epoch, string exceptionType, string reason);
}

/// <summary>The scheduler's stored state.</summary>
public sealed class EpochSchedulerState
{
    /// <summary>The start of the first epoch this cluster closes (the epoch the scheduler was first started in).</summary>
    public DateTimeOffset? FirstHour { get; set; }

    /// <summary>The start of the last epoch closed.</summary>
    public DateTimeOffset? LastClosed { get; set; }

    /// <summary>The length of the last epoch closed (of the first, before any); null in state written before epochs had a length, meaning an hour.</summary>
    public TimeSpan? Length { get; set; }
}
