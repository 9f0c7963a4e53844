using System.Buffers.Binary;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Protocol.Wire;

/// <summary>What a signed staking request asks the ledger to do with the signer's own tokens.</summary>
public enum StakeAction
{
    /// <summary>Move an amount of the account's balance into its stake.</summary>
    Stake,

    /// <summary>Move an amount of the account's stake back to its balance.</summary>
    Unstake,
}

/// <summary>
/// The bytes an account holder signs to stake or unstake tokens of their ledger account (docs/PROTOCOL.md, "Staking").
/// </summary>
/// <remarks>
/// <para><c>"ichat-stake-v1\0" ‖ account (20) ‖ amount (uint256, big-endian, base units) ‖ issued-at (u64 ms, big-endian)</c>,
/// and the same after <c>"ichat-unstake-v1\0"</c>. The account's wallet signs it with EIP-191 <c>personal_sign</c>, so any
/// Ethereum wallet can sign it and show what it signs; the cluster recovers the signer and requires it to be the account.</para>
/// <para>What a signature can be used for. The account is inside the message, so a signature cannot be moved to another
/// account; the label is too, so a stake cannot pass for an unstake, a relay registration, a handshake or an envelope. The
/// cluster accepts the message only within a clock skew of its issued-at (five minutes by default), and applies it under
/// the ledger entry id <see cref="EntryId"/>, derived from the message bytes: whoever replays a captured request within
/// the skew gets "already applied", and after it a refusal. The id hashes the message, not the signature, because a
/// wallet that signs with random nonces gives a different signature of the same request each time: the same request is
/// one entry however often it is signed. Two deliberate stakes of the same amount therefore need different issued-at
/// milliseconds, which every client that reads its clock gives.</para>
/// <para>What it does not cover. The message names no network: within the skew, a request made for one cluster is valid
/// at another cluster that holds the same account. It can only move the signer's own tokens between their balance and their
/// stake there, never to anyone else, and the chain issue replaces these requests with on-chain deposits.</para>
/// <para>The amount is a uint256 word as an EVM contract would read it; ledger amounts fit in 128 bits, so its first 16
/// bytes are zero.</para>
/// </remarks>
public static class StakeMessage
{
    /// <summary>Length of an EVM address.</summary>
    public const int AccountBytes = 20;

    /// <summary>Length of the amount: one uint256 word.</summary>
    public const int AmountBytes = AbiEncoder.WordBytes;

    private static ReadOnlySpan<byte> StakeLabel => "ichat-stake-v1\0"u8;

    private static ReadOnlySpan<byte> UnstakeLabel => "ichat-unstake-v1\0"u8;

    /// <summary>
    /// The message for <paramref name="action"/> of <paramref name="amount"/> base units (more than zero) of
    /// <paramref name="account"/> ("0x" and 40 hex, any case), signed at <paramref name="issuedAtMilliseconds"/> (Unix ms).
    /// </summary>
    /// <exception cref="ArgumentException">The account is not an address, the amount is zero, or the action is unknown.</exception>
    public static byte[] Build(StakeAction action, string account, UInt128 amount, ulong issuedAtMilliseconds)
    {
        var label = Label(action);
        var address = AbiEncoder.ParseAddress(account, nameof(account));
        if (amount == UInt128.Zero)
        {
            throw new ArgumentException($"The amount to {Name(action)} must be more than zero base units (got 0).", nameof(amount));
        }

        var message = new byte[label.Length + AccountBytes + AmountBytes + sizeof(ulong)];
        var span = message.AsSpan();
        label.CopyTo(span);
        span = span[label.Length..];
        address.CopyTo(span);
        span = span[AccountBytes..];
        AbiEncoder.WriteUInt256(amount, span[..AmountBytes]);
        BinaryPrimitives.WriteUInt64BigEndian(span[AmountBytes..], issuedAtMilliseconds);
        return message;
    }

    /// <summary>
    /// The ledger entry id under which the cluster applies the request <paramref name="message"/>:
    /// <c>"stake:"</c> or <c>"unstake:"</c> followed by the lowercase hex of Keccak-256 of the message (72 characters at most).
    /// </summary>
    public static string EntryId(StakeAction action, ReadOnlySpan<byte> message) =>
        $"{Name(action)}:{Convert.ToHexStringLower(Keccak.Hash256(message))}";

    /// <summary>"stake" or "unstake".</summary>
    public static string Name(StakeAction action) => action switch
    {
        StakeAction.Stake => "stake",
        StakeAction.Unstake => "unstake",
        _ => throw new ArgumentException($"A staking request is a stake or an unstake (got {(int)action}).", nameof(action)),
    };

    private static ReadOnlySpan<byte> Label(StakeAction action) => action switch
    {
        StakeAction.Stake => StakeLabel,
        StakeAction.Unstake => UnstakeLabel,
        _ => throw new ArgumentException($"A staking request is a stake or an unstake (got {(int)action}).", nameof(action)),
    };
}
