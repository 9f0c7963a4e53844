using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Runtime.Cluster.Transport;

/// <summary>
/// One connection per peer incarnation, opened on first use. Concurrent first calls share one connection attempt; a
/// failed attempt or a closed connection is dropped, so the next call to that peer connects afresh (that is the
/// reconnect: on demand, never in the background).
/// </summary>
internal sealed class ConnectionPool(ClusterOptions options, TimeProvider timeProvider, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<SiloAddress, Lazy<Task<PeerConnection>>> _connections = new();
    private readonly CancellationTokenSource _disposed = new();

    public async Task<PeerConnection> GetAsync(SiloAddress peer)
    {
        for (var attempt = 0; ; attempt++)
        {
            var entry = _connections.GetOrAdd(peer, static (address, pool) => new Lazy<Task<PeerConnection>>(() => pool.ConnectAsync(address)), this);
            try
            {
                var connection = await entry.Value.ConfigureAwait(false);
                if (!connection.IsClosed || attempt > 0)
                {
                    return connection;
                }
            }
            catch
            {
                _connections.TryRemove(KeyValuePair.Create(peer, entry));
                throw;
            }

            _connections.TryRemove(KeyValuePair.Create(peer, entry));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        foreach (var entry in _connections.Values)
        {
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            {
                await entry.Value.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        _connections.Clear();
    }

    private async Task<PeerConnection> ConnectAsync(SiloAddress peer)
    {
        var connection = await PeerConnection.ConnectAsync(peer, options, timeProvider, logger, _disposed.Token).ConfigureAwait(false);
        connection.Closed += Forget;
        return connection;
    }

    private void Forget(PeerConnection closed)
    {
        if (_connections.TryGetValue(closed.Peer, out var entry)
            && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully && ReferenceEquals(entry.Value.Result, closed))
        {
            _connections.TryRemove(KeyValuePair.Create(closed.Peer, entry));
        }
    }
}
