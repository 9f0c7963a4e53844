using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Network;

/// <summary>
/// The network's maximum unread age as the inboxes of one silo apply it: the network parameters grain's value, read at
/// most once a minute for the whole silo (every deposit asks, and there is one inbox per recipient), never above the
/// silo's own <c>Inbox:MaxUnreadAge</c> ceiling. Governance may only lower the network value, so an inbox that has not
/// heard of a lowering yet keeps a message at most a minute's worth of deposits longer than the new age, never past 6 h.
/// When the network grain cannot be read the last value read stands (or the silo's ceiling, before the first read).
/// </summary>
public sealed partial class NetworkUnreadAge(IGrainFactory grains, TimeProvider time, ILogger<NetworkUnreadAge> logger)
{
    /// <summary>How long one read of the network parameters is used.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private TimeSpan? _networkAge;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private Task? _reading;

    /// <summary>The age to apply: the smaller of <paramref name="ceiling"/> and the network's value.</summary>
    public async ValueTask<TimeSpan> GetAsync(TimeSpan ceiling)
    {
        Task? reading = null;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_reading is null && (now - _readAt >= Refresh || now < _readAt))
            {
                _reading = ReadAsync(now);
            }

            if (_networkAge is null)
            {
                reading = _reading;
            }
        }

        if (reading is not null)
        {
            await reading;
        }

        var network = _networkAge;
        return network is { } age && age < ceiling ? age : ceiling;
    }

    private async Task ReadAsync(DateTimeOffset now)
    {
        await Task.Yield();
        try
        {
            var parameters = await grains.GetNetworkParameters().Get();
            lock (_lock)
            {
                _networkAge = parameters.MaxUnreadAge;
                _readAt = now;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReadFailed(logger, exception.GetType().Name, exception.Message);
            lock (_lock)
            {
                // Try again after a refresh period, not on every deposit.
                _readAt = now;
            }
        }
        finally
        {
            lock (_lock)
            {
                _reading = null;
            }
        }
    }

    [LoggerMessage(EventId = 3504, Level = LogLevel.Warning, Message = "Inboxes could not read the network's maximum unread age ({ExceptionType}: {Reason}); the last value read, or Inbox:MaxUnreadAge, stands")]
    private static partial void LogReadFailed(ILogger logger, string exceptionType, string reason);
}
