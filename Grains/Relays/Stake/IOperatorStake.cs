using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Relays.Stake;

/// <summary>Where an operator's stake was read.</summary>
public enum OperatorStakeSource
{
    /// <summary>The cluster's own ledger (the embedded default): compared with the network's MinimumStake.</summary>
    Ledger,

    /// <summary>RelayStaking on the configured chain: its own <c>isRelay</c> and <c>minimumStake</c> decide.</summary>
    Chain,
}

/// <summary>
/// An operator's stake as the relay check sees it. <paramref name="Staked"/> is what counts (the ledger stake, or the
/// active stake on chain, pending stake excluded). On chain, <paramref name="ChainIsRelay"/> and
/// <paramref name="ChainMinimum"/> are the contract's answers; <paramref name="Where"/> names the contract for messages.
/// </summary>
public sealed record OperatorStakeReading(UInt128 Staked, OperatorStakeSource Source, bool ChainIsRelay = false, UInt128 ChainMinimum = default, string? Where = null)
{
    /// <summary>A reading from the ledger.</summary>
    public static OperatorStakeReading FromLedger(UInt128 staked) => new(staked, OperatorStakeSource.Ledger);

    /// <summary>Whether this stake allows a relay: on chain the contract's isRelay, in the ledger at least <paramref name="networkMinimum"/>.</summary>
    public bool AllowsRelay(UInt128 networkMinimum) => Source == OperatorStakeSource.Chain ? ChainIsRelay : Staked >= networkMinimum;

    /// <summary>The minimum that applies: the chain's when read there, else <paramref name="networkMinimum"/>.</summary>
    public UInt128 Minimum(UInt128 networkMinimum) => Source == OperatorStakeSource.Chain ? ChainMinimum : networkMinimum;
}

/// <summary>
/// Reads an operator's stake for relay registration and heartbeats. The ledger implementation is the default; with a
/// chain configured (<c>AddOnChainStakeCheck</c>) RelayStaking decides. Implementations throw
/// <see cref="OperatorStakeUnavailableException"/> when the source cannot answer.
/// </summary>
public interface IOperatorStake
{
    /// <summary>The stake of <paramref name="operatorAddress"/> (lowercase 0x address); <paramref name="grains"/> is the caller's grain factory.</summary>
    Task<OperatorStakeReading> ReadAsync(IGrainFactory grains, string operatorAddress, CancellationToken cancellationToken = default);
}
