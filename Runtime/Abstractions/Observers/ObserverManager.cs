using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NexusOrleans.Runtime;

/// <summary>
/// The observers subscribed to a grain. Each subscription is valid for <see cref="Expiration"/> after it was made
/// or last renewed (by subscribing again); an expired one is dropped at the next <see cref="Notify"/>.
/// </summary>
/// <remarks>
/// <see cref="Notify"/> starts one call per subscriber and returns without awaiting any of them, so a slow, hung or
/// failing subscriber never holds up the grain or the other subscribers. A subscriber whose reference was deleted
/// (<see cref="ObserverNotFoundException"/>) is dropped when that failure comes back; other failures are logged and
/// the subscription stays until it expires. Not thread-safe: use it from the owning grain's turns only, where
/// completions come back on the grain's own context.
/// </remarks>
public sealed partial class ObserverManager<TObserver>
    where TObserver : class, IGrainObserver
{
    private readonly Dictionary<TObserver, DateTimeOffset> _subscriptions = [];
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a manager whose subscriptions last <paramref name="expiration"/> unless renewed.</summary>
    public ObserverManager(TimeSpan expiration, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiration, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Expiration = expiration;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How long a subscription lasts without renewal.</summary>
    public TimeSpan Expiration { get; }

    /// <summary>Number of subscriptions, including expired ones not yet dropped.</summary>
    public int Count => _subscriptions.Count;

    /// <summary>The subscribed observers, including expired ones not yet dropped.</summary>
    public IReadOnlyCollection<TObserver> Observers => _subscriptions.Keys;

    /// <summary>Adds a subscription, or renews it when the observer is already subscribed.</summary>
    public void Subscribe(TObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _subscriptions[observer] = _timeProvider.GetUtcNow();
    }

    /// <summary>Removes a subscription; returns false when there was none.</summary>
    public bool Unsubscribe(TObserver observer) => _subscriptions.Remove(observer);

    /// <summary>Drops subscriptions older than <see cref="Expiration"/>; returns how many were dropped.</summary>
    public int ClearExpired()
    {
        var oldestValid = _timeProvider.GetUtcNow() - Expiration;
        var dropped = 0;
        foreach (var (observer, renewedAt) in _subscriptions)
        {
            if (renewedAt <= oldestValid)
            {
                _subscriptions.Remove(observer);
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>
    /// Drops expired subscriptions, then starts <paramref name="notification"/> for each remaining observer without
    /// awaiting it. Returns the number of observers notified.
    /// </summary>
    public int Notify(Func<TObserver, Task> notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ClearExpired();
        if (_subscriptions.Count == 0)
        {
            return 0;
        }

        // A snapshot, because a call that fails synchronously removes its subscriber while we iterate.
        var observers = _subscriptions.Keys.ToArray();
        foreach (var observer in observers)
        {
            Task call;
            try
            {
                call = notification(observer);
            }
            catch (Exception exception)
            {
                OnFailed(observer, exception);
                continue;
            }

            if (!call.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(observer, call);
            }
        }

        return observers.Length;
    }

    private async Task ObserveAsync(TObserver observer, Task call)
    {
        try
        {
            await call;
        }
        catch (Exception exception)
        {
            OnFailed(observer, exception);
        }
    }

    private void OnFailed(TObserver observer, Exception exception)
    {
        if (exception is ObserverNotFoundException)
        {
            _subscriptions.Remove(observer);
            LogObserverGone(_logger, observer.ToString());
            return;
        }

        LogObserverFailed(_logger, observer.ToString(), exception.GetType().Name, exception.Message);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Observer {Observer} is gone; its subscription was dropped.")]
    private static partial void LogObserverGone(ILogger logger, string? observer);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Notifying observer {Observer} failed with {ExceptionType}: {Reason}")]
    private static partial void LogObserverFailed(ILogger logger, string? observer, string exceptionType, string reason);
}
