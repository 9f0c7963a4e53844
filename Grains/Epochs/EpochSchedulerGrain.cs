// Closes every hour's epoch once the hour is over, including the hours that ended while no silo was running.
//
// One grain, one durable reminder: each tick closes, oldest first, every hour from the one after the last closed up
// to the last that has ended (plus the close delay), at most MaxHoursPerTick per tick, recording each before moving
// on. The record is written after the epoch's own Close returned, so a crash in between only means that hour's Close
// runs again on the next tick, which is harmless: Close is idempotent (RewardEpochGrain). A failed Close stops the
// tick there and the reminder's period brings the retry; a later hour is never closed before an earlier one.
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
            State.FirstHour = ServiceHours.HourOf(TimeProvider.GetUtcNow());
            await WriteStateAsync();
        }

        await RegisterOrUpdateReminder(Reminder, _options.SchedulerPeriod, _options.SchedulerPeriod);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> LastClosed() => Task.FromResult(State.LastClosed);

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Reminder || State.FirstHour is not { } first)
        {
            return;
        }

        var next = State.LastClosed?.AddHours(1) ?? first;
        for (var closed = 0; closed < _options.MaxHoursPerTick && next.AddHours(1) + _options.CloseDelay <= TimeProvider.GetUtcNow(); closed++)
        {
            try
            {
                var batch = await GrainFactory.GetGrain<IRewardEpochGrain>(EpochKeys.Format(next)).Close();
                foreach (var listener in _listeners)
                {
                    await listener.EpochClosedAsync(EpochKeys.Format(next), batch);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCloseFailed(logger, EpochKeys.Format(next), exception.GetType().Name, exception.Message);
                return;
            }

            State.LastClosed = next;
            await WriteStateAsync();
            next = next.AddHours(1);
        }
    }

    [LoggerMessage(EventId = 3611, Level = LogLevel.Warning, Message = "Closing epoch {Epoch} failed with {ExceptionType}: {Reason}; retrying on the next tick")]
    private static partial void LogCloseFailed(ILogger logger, string epoch, string exceptionType, string reason);
}

/// <summary>The scheduler's stored state.</summary>
public sealed class EpochSchedulerState
{
    /// <summary>The first hour this cluster closes (the hour the scheduler was first started in).</summary>
    public DateTimeOffset? FirstHour { get; set; }

    /// <summary>The last hour closed.</summary>
    public DateTimeOffset? LastClosed { get; set; }
}
