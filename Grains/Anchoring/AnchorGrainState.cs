using System.Globalization;
using System.Numerics;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Chain.Serialization;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>The stored anchoring of one epoch.</summary>
public sealed class AnchorGrainState
{
    /// <summary>When the epoch was handed to anchoring; null while it was not.</summary>
    public DateTimeOffset? QueuedAt { get; set; }

    public ulong ChainEpoch { get; set; }

    /// <summary>The batch's Merkle root ("0x" + 64 hex), null when there is nothing to anchor.</summary>
    public string? Root { get; set; }

    /// <summary>The anchor first, then one slash per operator with a non-zero slash, in operator order.</summary>
    public List<AnchorStepState> Steps { get; set; } = [];

    /// <summary>
    /// When every step was last seen confirmed, the start of the watch for a deeper reorg; null while a step is not, and
    /// in state stored before the watch existed (such an epoch is not watched: see AnchorGrain).
    /// </summary>
    public DateTimeOffset? ConfirmedAt { get; set; }
}

/// <summary>One transaction of the anchoring, with the record needed to finish it after a restart.</summary>
public sealed class AnchorStepState
{
    public AnchorStepKind Kind { get; set; }

    public string? Operator { get; set; }

    public UInt128 Amount { get; set; }

    public AnchorState State { get; set; }

    /// <summary>The sender's record once the node took the transaction: nonce and every attempt, oldest first.</summary>
    public StoredTransaction? Transaction { get; set; }

    public string? MinedHash { get; set; }

    public ulong? BlockNumber { get; set; }

    public string? BlockHash { get; set; }

    public bool FoundOnChain { get; set; }

    public string? Problem { get; set; }

    public bool IsFinished => State is AnchorState.Confirmed or AnchorState.Conflict or AnchorState.Nothing;

    public AnchorStepStatus ToStatus() => new(
        Kind, Operator, Amount, State, Transaction?.Nonce, Transaction?.Attempts.Select(a => a.Hash).ToArray() ?? [], MinedHash, BlockNumber, BlockHash, FoundOnChain, Problem);
}

/// <summary>
/// <see cref="SentTransaction"/> as stored state: big numbers as decimal strings and bytes as hex, so the record reads
/// back exactly on any silo.
/// </summary>
public sealed class StoredTransaction
{
    public ulong ChainId { get; set; }

    public string From { get; set; } = string.Empty;

    public ulong Nonce { get; set; }

    public string? To { get; set; }

    public ulong GasLimit { get; set; }

    public string Value { get; set; } = "0";

    public string Data { get; set; } = "0x";

    public List<StoredAttempt> Attempts { get; set; } = [];

    public static StoredTransaction Of(SentTransaction sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        return new StoredTransaction
        {
            ChainId = sent.ChainId,
            From = sent.From,
            Nonce = sent.Nonce,
            To = sent.To,
            GasLimit = sent.GasLimit,
            Value = sent.Value.ToString(CultureInfo.InvariantCulture),
            Data = Hex.Encode(sent.Data),
            Attempts = [.. sent.Attempts.Select(a => new StoredAttempt
            {
                Hash = a.Hash,
                RawTransaction = a.RawTransaction,
                MaxFeePerGas = a.MaxFeePerGas.ToString(CultureInfo.InvariantCulture),
                MaxPriorityFeePerGas = a.MaxPriorityFeePerGas.ToString(CultureInfo.InvariantCulture),
                SentAt = a.SentAt,
            })],
        };
    }

    public SentTransaction ToSent() => new(
        ChainId,
        From,
        Nonce,
        To,
        GasLimit,
        BigInteger.Parse(Value, CultureInfo.InvariantCulture),
        Hex.Decode(Data),
        [.. Attempts.Select(a => new SentAttempt(
            a.Hash,
            a.RawTransaction,
            BigInteger.Parse(a.MaxFeePerGas, CultureInfo.InvariantCulture),
            BigInteger.Parse(a.MaxPriorityFeePerGas, CultureInfo.InvariantCulture),
            a.SentAt))]);
}

/// <summary>One signed attempt of a <see cref="StoredTransaction"/>.</summary>
public sealed class StoredAttempt
{
    public string Hash { get; set; } = string.Empty;

    public string RawTransaction { get; set; } = string.Empty;

    public string MaxFeePerGas { get; set; } = "0";

    public string MaxPriorityFeePerGas { get; set; } = "0";

    public DateTimeOffset SentAt { get; set; }
}
