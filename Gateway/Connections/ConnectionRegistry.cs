using System.Collections.Concurrent;

namespace NexusOrleans.Gateway.Connections;

/// <summary>The live connections of this gateway, so shutdown can close them and health can count them.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<GatewayConnection, byte> _connections = new();

    public int Count => _connections.Count;

    public void Add(GatewayConnection connection) => _connections.TryAdd(connection, 0);

    public void Remove(GatewayConnection connection) => _connections.TryRemove(connection, out _);

    public IReadOnlyCollection<GatewayConnection> Snapshot() => _connections.Keys.ToArray();
}
