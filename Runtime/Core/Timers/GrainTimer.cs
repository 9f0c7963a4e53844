using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Catalog;

namespace NexusOrleans.Runtime.Timers;

/// <summary>
/// A timer owned by one activation. The underlying <see cref="ITimer"/> is always one-shot: when it fires, a tick turn is
/// queued on the activation; when the tick completes, the next one is armed <c>period</c> later. So ticks never overlap,
/// never run alongside a call, and a slow tick delays the next instead of piling up. Ticks do not count as calls for idle
/// collection. The timer dies with the activation: deactivation disposes it and cancels the token its callback got.
/// </summary>
internal sealed partial class GrainTimer : IGrainTimer
{
    private readonly Activation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _cancellation = new();
    private TimeSpan _period;
    private int _tickQueued;
    private volatile bool _disposed;

    public GrainTimer(Activation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        _activation = activation;
        _callback = callback;
        _period = period;
        _timer = activation.TimeProvider.CreateTimer(static state => ((GrainTimer)state!).OnFired(), this, dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _period = period;
        _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _timer.Dispose();
        _cancellation.Cancel();
        _activation.OnTimerDisposed(this);
    }

    /// <summary>Runs as a turn of the activation.</summary>
    internal async Task TickAsync()
    {
        try
        {
            if (!_disposed)
            {
                await _callback(_cancellation.Token);
            }
        }
        catch (OperationCanceledException) when (_disposed)
        {
            // Disposed while the tick ran: expected.
        }
        catch (Exception exception)
        {
            LogTickFailed(_activation.Logger, _activation.GrainId, exception);
        }
        finally
        {
            Volatile.Write(ref _tickQueued, 0);
            if (!_disposed && _period != Timeout.InfiniteTimeSpan)
            {
                _timer.Change(_period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnFired()
    {
        if (_disposed || Interlocked.Exchange(ref _tickQueued, 1) == 1)
        {
            return;
        }

        if (!_activation.TryEnqueueTimerTick(this))
        {
            Volatile.Write(ref _tickQueued, 0);
        }
    }

    private static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A timer's due time must be zero or positive, or Timeout.InfiniteTimeSpan.");
        }

        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A timer's period must be positive, or Timeout.InfiniteTimeSpan for a single tick.");
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "A timer tick of {GrainId} threw; the timer keeps running")]
    private static partial void LogTickFailed(ILogger logger, GrainId grainId, Exception exception);
}
