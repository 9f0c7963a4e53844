using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Relays;

/// <summary>
/// The list of registered relay nodes (one grain, key <see cref="RelayGrains.DirectoryKey"/>). Operator grains tell it
/// about registrations, unregistrations and heartbeats; phones' gateways ask it which nodes are live. A relay key belongs
/// to one operator at a time: the first to register it holds it until it unregisters it.
/// </summary>
/// <remarks>The grain type is <c>relay-directory</c>. Only operator grains should change it; gateways only list.</remarks>
public interface IRelayDirectoryGrain : IGrain
{
    /// <summary>Adds or updates the node; answers the operator holding the key afterwards (another one's means refused).</summary>
    Task<string> Claim(RelayDirectoryEntry entry);

    /// <summary>Removes the node if <paramref name="operatorAddress"/> holds it.</summary>
    Task Release(string relayKey, string operatorAddress);

    /// <summary>The node is alive now: adds it back if it was missing, updates its endpoint and stake. False when another operator holds the key.</summary>
    Task<bool> Heartbeat(RelayDirectoryEntry entry);

    /// <summary>
    /// The live nodes, ordered by key: heard of within the network's outage gap (on this grain's clock), and backed by at
    /// least the minimum stake.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<RelayDirectoryEntry>> List();

    /// <summary>Every operator holding at least one registered node, live or not, in address order (what reward epochs judge).</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> Operators();
}
