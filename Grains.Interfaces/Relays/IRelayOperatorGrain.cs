using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Relays;

/// <summary>
/// One relay operator (key: the operator's EVM address, "0x" + 40 lowercase hex, as <see cref="Ledger.LedgerAccounts.Normalize"/>
/// writes it): its registered relay nodes, their heartbeats, and what the reward epochs need to judge each hour of service.
/// An operator may register several nodes, each under its own relay key. Registering needs the operator's stake in the
/// ledger to be at least the network's minimum.
/// </summary>
/// <remarks>The grain type is <c>relay-operator</c>.</remarks>
public interface IRelayOperatorGrain : IGrain
{
    /// <summary>
    /// Registers a node, or renews its registration (a restarted relay registers again). Refusals come back as a status
    /// with a reason a person can read; nothing changes then.
    /// </summary>
    /// <exception cref="ArgumentException">The registration is malformed (operator not this grain's, key not 64 hex, endpoint not a ws/wss URL).</exception>
    Task<RelayRegistrationResult> Register(RelayRegistration registration);

    /// <summary>Retires a node: it leaves the directory at once and its heartbeats are refused until it registers again.</summary>
    /// <exception cref="ArgumentException">The unregistration is malformed.</exception>
    Task<RelayRegistrationResult> Unregister(RelayUnregistration unregistration);

    /// <summary>Records that the node is alive (its gateway calls this every heartbeat interval).</summary>
    /// <exception cref="ArgumentException">The key is not 64 hex characters.</exception>
    Task<HeartbeatResult> Heartbeat(string relayKey);

    /// <summary>The operator's stake now and its nodes with their recent history.</summary>
    [ReadOnly]
    Task<RelayOperatorSnapshot> GetOperator();
}
