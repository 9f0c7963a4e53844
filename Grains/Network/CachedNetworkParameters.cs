using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Network;

/// <summary>
/// The network parameters as one activation reads them: fetched from the network grain at most once per
/// <c>refresh</c>, so a grain on a hot path (heartbeats, listings) does not call it every time. A governance change
/// therefore reaches the activation within <c>refresh</c>.
/// </summary>
internal sealed class CachedNetworkParameters(IGrainFactory grains, TimeProvider time, TimeSpan refresh)
{
    private NetworkParameters? _parameters;
    private DateTimeOffset _readAt;

    public async Task<NetworkParameters> GetAsync()
    {
        var now = time.GetUtcNow();
        if (_parameters is { } cached && now - _readAt < refresh && now >= _readAt)
        {
            return cached;
        }

        var parameters = await grains.GetNetworkParameters().Get();
        _parameters = parameters;
        _readAt = now;
        return parameters;
    }
}
