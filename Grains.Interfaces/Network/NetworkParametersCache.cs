using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Network;

/// <summary>
/// The network parameters as one reader sees them — a relay grain's activation, a gateway, a silo's inboxes: fetched
/// from the network grain at most once per <c>refresh</c>, so a hot path reads memory, not the cluster. A governance
/// change therefore reaches the reader within <c>refresh</c>.
/// </summary>
/// <remarks>
/// Callers that arrive while a read is under way share it rather than start their own. A read that failed is not kept:
/// its callers see the failure and the next caller reads again. A clock that stepped back forces a read.
/// </remarks>
public sealed class NetworkParametersCache(IGrainFactory grains, TimeProvider time, TimeSpan refresh)
{
    private readonly Lock _lock = new();
    private Task<NetworkParameters>? _read;
    private DateTimeOffset _readAt;

    /// <summary>The parameters, read at most <c>refresh</c> ago.</summary>
    public Task<NetworkParameters> GetAsync()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_read is { } read && (!read.IsCompleted || (read.IsCompletedSuccessfully && now >= _readAt && now - _readAt < refresh)))
            {
                return read;
            }

            _readAt = now;
            return _read = grains.GetNetworkParameters().Get();
        }
    }
}
