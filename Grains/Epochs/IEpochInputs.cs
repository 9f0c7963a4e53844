namespace NexusOrleans.Grains.Epochs;

/// <summary>
/// What an epoch's close reads from the rest of the cluster: the measured hours of every relay node, the operators'
/// stakes and the reward parameters. A service (not grain calls written into the epoch) so that the rules and the
/// settlement can be tested on their own, and so the QoS measurement can change without touching settlement.
/// </summary>
public interface IEpochInputs
{
    /// <summary>The reward policy in force for <paramref name="hour"/>.</summary>
    Task<RewardPolicy> PolicyAsync(DateTimeOffset hour);

    /// <summary>What the cluster measured of every relay node registered during <paramref name="hour"/>.</summary>
    Task<IReadOnlyList<RelayHour>> RelayHoursAsync(DateTimeOffset hour);

    /// <summary>The operator's stake now, in base units.</summary>
    Task<UInt128> StakeAsync(string operatorAccount);
}
