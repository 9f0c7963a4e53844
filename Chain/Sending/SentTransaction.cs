using System.Numerics;
using NexusOrleans.Chain.Rpc;

namespace NexusOrleans.Chain.Sending;

/// <summary>
/// What a transaction is to do: call <c>To</c> (null creates a contract) with <c>Data</c> and <c>Value</c> (wei).
/// A null <c>GasLimit</c> is estimated, plus <see cref="TransactionSenderOptions.GasLimitMarginPercent"/>.
/// </summary>
public sealed record TransactionRequest(string? To, byte[] Data, BigInteger Value = default, ulong? GasLimit = null);

/// <summary>
/// One signed version of a transaction that was handed to the node. <c>RawTransaction</c> is the signed bytes as "0x…"
/// hex: enough to send the same transaction again after a restart.
/// </summary>
public sealed record SentAttempt(string Hash, string RawTransaction, BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas, DateTimeOffset SentAt);

/// <summary>
/// Everything needed to finish a transaction later, in a form a worker can persist (all values, no live objects): the
/// nonce it holds and every signed attempt at that nonce, oldest first. Exactly one of them can ever be mined.
/// </summary>
public sealed record SentTransaction(
    ulong ChainId,
    string From,
    ulong Nonce,
    string? To,
    ulong GasLimit,
    BigInteger Value,
    byte[] Data,
    IReadOnlyList<SentAttempt> Attempts)
{
    public SentAttempt Latest => Attempts[^1];

    public IEnumerable<string> Hashes => Attempts.Select(a => a.Hash);
}

/// <summary>A transaction that is mined with the confirmations asked for; <see cref="Hash"/> says which attempt.</summary>
public sealed record MinedTransaction(SentTransaction Sent, string Hash, TransactionReceipt Receipt, ulong Confirmations);

public enum TransactionProgressKind
{
    /// <summary>A replacement with higher fees was sent at the same nonce; persist <see cref="TransactionProgress.Transaction"/>.</summary>
    Replaced,

    /// <summary>The node no longer knew any attempt (dropped, or its block was reorged away); the same bytes were sent again.</summary>
    Resent,

    /// <summary>An attempt is in a canonical block, not yet confirmed enough.</summary>
    Included,
}

/// <summary>A step of <see cref="TransactionSender.WaitAsync"/> worth persisting or showing.</summary>
public sealed record TransactionProgress(TransactionProgressKind Kind, SentTransaction Transaction, string Hash);

/// <summary>The transaction was mined but reverted (receipt status 0).</summary>
public sealed class TransactionRevertedException(MinedTransaction mined)
    : Exception($"Transaction {mined.Hash} (nonce {mined.Sent.Nonce}) was mined in block {mined.Receipt.BlockNumber} but reverted.")
{
    public MinedTransaction Mined { get; } = mined;
}

/// <summary>The nonce of a transaction was used by a transaction this sender did not send (another process holds the key).</summary>
public sealed class NonceConsumedException(SentTransaction sent)
    : Exception($"Nonce {sent.Nonce} of {sent.From} was used by a transaction other than {string.Join(", ", sent.Hashes)}; is another process sending from this account?")
{
    public SentTransaction Sent { get; } = sent;
}
