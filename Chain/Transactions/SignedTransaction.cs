using NexusOrleans.Chain.Serialization;
using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Chain.Transactions;

/// <summary>
/// A transaction ready for <c>eth_sendRawTransaction</c>: its serialized signed bytes and its hash (Keccak-256 of those
/// bytes). Sending the same raw bytes again is always safe: a node that knows them refuses the copy, and a chain holds
/// one transaction per (sender, nonce).
/// </summary>
public sealed record SignedTransaction(byte[] Raw, string Hash)
{
    /// <summary>The raw bytes as "0x…" hex.</summary>
    public string RawHex => Hex.Encode(Raw);

    public static SignedTransaction FromRaw(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return new SignedTransaction(raw, Hex.Encode(Keccak.Hash256(raw)));
    }
}
