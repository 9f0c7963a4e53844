namespace NexusOrleans.Grains.Epochs;

/// <summary>
/// What an epoch's close reads from the rest of the cluster: what every relay node was measured to do in the epoch, the
/// operators' stakes and the reward parameters. A service (not grain calls written into the epoch) so that the rules and the
/// settlement can be tested on their own, and so the QoS measurement can change without touching settlement.
/// </summary>
public interface IEpochInputs
{
    /// <summary>The reward policy in force for the epoch of <paramref name="length"/> from <paramref name="start"/> (its reward pro rata to its length).</summary>
    Task<RewardPolicy> PolicyAsync(DateTimeOffset start, TimeSpan length);

    /// <summary>What the cluster measured of every relay node registered during the epoch of <paramref name="length"/> from <paramref name="start"/>.</summary>
    Task<IReadOnlyList<RelayHour>> RelayHoursAsync(DateTimeOffset start, TimeSpan length);

    /// <summary>The operator's stake now, in base units: in the ledger, or active on chain when the chain decides relays.</summary>
    Task<UInt128> StakeAsync(string operatorAccount);
}
