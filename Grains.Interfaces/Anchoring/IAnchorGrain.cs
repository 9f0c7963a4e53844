using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>
/// Anchors one closed reward epoch to the chain (key: the epoch's key, as <see cref="Epochs.EpochKeys.Format(DateTimeOffset, TimeSpan)"/>): the
/// batch's Merkle root with <c>RewardDistributor.anchor(epoch, root)</c>, then one <c>RelayStaking.slash</c> per operator
/// with a non-zero slash, each followed to a confirmed receipt. The on-chain epoch number is
/// <see cref="Epochs.EpochKeys.ChainEpoch"/> of the epoch's start.
/// </summary>
public interface IAnchorGrain : IGrain
{
    /// <summary>
    /// Reads the epoch's stored batch and starts anchoring it; idempotent (a second call, or one after a restart, changes
    /// nothing that is already under way). Fails when the epoch has no batch yet.
    /// </summary>
    Task Start();

    /// <summary>Where anchoring stands, or null when it was never started for this epoch.</summary>
    [ReadOnly]
    Task<AnchorStatus?> GetStatus();
}

/// <summary>Where the anchoring of an epoch, or one transaction of it, stands.</summary>
public enum AnchorState
{
    /// <summary>Nothing sent yet (or the chain could not be reached to send it).</summary>
    Pending,

    /// <summary>Sent and persisted (nonce and every attempt's hash), not yet confirmed.</summary>
    Sent,

    /// <summary>Confirmed on chain, or found already there with the same content.</summary>
    Confirmed,

    /// <summary>The chain holds something else for this epoch (another root): an alarm, not retried.</summary>
    Conflict,

    /// <summary>The epoch's batch has no root (nobody earned or lost anything): nothing to anchor, no transaction.</summary>
    Nothing,
}

/// <summary>What one anchoring transaction does.</summary>
public enum AnchorStepKind
{
    /// <summary><c>RewardDistributor.anchor(epoch, root)</c>.</summary>
    Anchor,

    /// <summary><c>RelayStaking.slash(operator, amount, epoch)</c>.</summary>
    Slash,
}

/// <summary>The anchoring of one epoch: overall state, the chain epoch number, the root, and each transaction.</summary>
public sealed record AnchorStatus(string Epoch, ulong ChainEpoch, string? Root, AnchorState State, DateTimeOffset QueuedAt, IReadOnlyList<AnchorStepStatus> Steps);

/// <summary>
/// One transaction of an epoch's anchoring. <c>Hashes</c> are every attempt sent (a replacement adds one);
/// <c>MinedHash</c>, <c>BlockNumber</c> and <c>BlockHash</c> are set once confirmed by this cluster's transaction;
/// <c>FoundOnChain</c> says the chain already held it (sent earlier, or by someone else with the same content).
/// </summary>
public sealed record AnchorStepStatus(
    AnchorStepKind Kind,
    string? Operator,
    UInt128 Amount,
    AnchorState State,
    ulong? Nonce,
    IReadOnlyList<string> Hashes,
    string? MinedHash,
    ulong? BlockNumber,
    string? BlockHash,
    bool FoundOnChain,
    string? Problem);
