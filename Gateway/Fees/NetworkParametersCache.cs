using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Grains.Network;
using NexusOrleans.Runtime;

namespace NexusOrleans.Gateway.Fees;

/// <summary>
/// The network parameters as this gateway reads them, shared by all its connections: fetched from the network grain at
/// most once per <see cref="GatewayOptions.ParametersRefresh"/>, so sending a message reads memory, not the cluster.
/// </summary>
/// <remarks>
/// Callers that arrive while a read is under way share it rather than start their own. A read that failed is not kept:
/// its callers fail (their request is answered <c>unavailable</c>) and the next caller reads again.
/// </remarks>
internal sealed class NetworkParametersCache(IGrainFactory grains, TimeProvider time, IOptions<GatewayOptions> options)
{
    private readonly TimeSpan _refresh = options.Value.ParametersRefresh;
    private readonly Lock _lock = new();
    private Task<NetworkParameters>? _read;
    private DateTimeOffset _readAt;

    public Task<NetworkParameters> GetAsync()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_read is { } read && (!read.IsCompleted || (read.IsCompletedSuccessfully && now >= _readAt && now - _readAt < _refresh)))
            {
                return read;
            }

            _readAt = now;
            return _read = grains.GetNetworkParameters().Get();
        }
    }
}
