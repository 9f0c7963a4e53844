using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Network;

/// <summary>
/// The network's parameters (one grain, key <see cref="NetworkGrains.ParametersKey"/>): read by every grain and gateway
/// that needs a limit, a rate or an interval, and changed only by governance. On its first activation it stores the
/// defaults of the <c>Network</c> settings section; from then on the stored set is the truth, whatever the settings say.
/// </summary>
/// <remarks>The grain type is <c>network</c>.</remarks>
public interface INetworkParametersGrain : IGrain
{
    /// <summary>The parameters in force.</summary>
    [ReadOnly]
    Task<NetworkParameters> Get();

    /// <summary>
    /// Applies a governance decision: <paramref name="proposed"/> replaces the parameters in force, once per
    /// <paramref name="decisionId"/> (a decision applied before changes nothing and answers
    /// <see cref="NetworkParameterChangeStatus.AlreadyApplied"/>, so the caller may retry).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The decision id is empty, or the proposed set breaks a rule (<see cref="NetworkParameters.Validate"/>), or it raises
    /// <see cref="NetworkParameters.MaxUnreadAge"/>, which may only be lowered. Nothing changes.
    /// </exception>
    Task<NetworkParameterChange> Change(NetworkParameters proposed, string decisionId);
}

/// <summary>What became of <see cref="INetworkParametersGrain.Change"/>.</summary>
public enum NetworkParameterChangeStatus
{
    /// <summary>Applied now.</summary>
    Applied,

    /// <summary>This decision was applied before; nothing changed this time.</summary>
    AlreadyApplied,
}

/// <summary>The outcome of a change, with the parameters in force after it.</summary>
public sealed record NetworkParameterChange(NetworkParameterChangeStatus Status, string DecisionId, NetworkParameters Parameters);

/// <summary>Where the network's grains are.</summary>
public static class NetworkGrains
{
    /// <summary>The key of the one <see cref="INetworkParametersGrain"/>.</summary>
    public const string ParametersKey = "network";

    /// <summary>The network parameters grain.</summary>
    public static INetworkParametersGrain GetNetworkParameters(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<INetworkParametersGrain>(ParametersKey);
    }
}
