using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Network;

/// <summary>
/// The network's maximum unread age as the inboxes of one silo apply it: the network parameters grain's value, read at
/// most once a minute for the whole silo (every deposit asks, and there is one inbox per recipient), never above the
/// silo's own <c>Inbox:MaxUnreadAge</c> ceiling. Governance may only lower the network value, so an inbox that has not
/// heard of a lowering yet keeps a message at most a minute's worth of deposits longer than the new age, never past 6 h.
/// When the network grain cannot be read the last value read stands (or the silo's ceiling, before the first read),
/// so a deposit never fails for it.
/// </summary>
public sealed partial class NetworkUnreadAge(IGrainFactory grains, TimeProvider time, ILogger<NetworkUnreadAge> logger)
{
    /// <summary>How long one read of the network parameters is used.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    private readonly NetworkParametersCache _parameters = new(grains, time, Refresh);
    private TimeSpan? _lastKnown;

    /// <summary>The age to apply: the smaller of <paramref name="ceiling"/> and the network's value.</summary>
    public async ValueTask<TimeSpan> GetAsync(TimeSpan ceiling)
    {
        try
        {
            _lastKnown = (await _parameters.GetAsync()).MaxUnreadAge;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReadFailed(logger, exception.GetType().Name, exception.Message);
        }

        return _lastKnown is { } age && age < ceiling ? age : ceiling;
    }

    [LoggerMessage(EventId = 3504, Level = LogLevel.Warning, Message = "Inboxes could not read the network's maximum unread age ({ExceptionType}: {Reason}); the last value read, or Inbox:MaxUnreadAge, stands")]
    private static partial void LogReadFailed(ILogger logger, string exceptionType, string reason);
}
