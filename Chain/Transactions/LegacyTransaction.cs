using NexusOrleans.Chain.Serialization;
using System.Numerics;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Chain.Transactions;

/// <summary>
/// A pre-EIP-2718 transaction signed with EIP-155 replay protection: the signed hash is
/// Keccak-256(rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])) and v = chainId × 2 + 35 + recovery id.
/// The client sends type 2 transactions; this exists for chains and tools that still want legacy ones, and because the
/// EIP-155 example pins the RLP and signing code against a published vector.
/// </summary>
public sealed record LegacyTransaction(ulong ChainId, ulong Nonce, BigInteger GasPrice, ulong GasLimit, string? To, BigInteger Value, byte[] Data)
{
    /// <summary>rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0]).</summary>
    public byte[] EncodeForSigning() => Rlp.EncodeList([.. Fields(), Rlp.EncodeInteger(ChainId), Rlp.EncodeInteger(0), Rlp.EncodeInteger(0)]);

    public byte[] SigningHash() => Keccak.Hash256(EncodeForSigning());

    public SignedTransaction Sign(ReadOnlySpan<byte> privateKey)
    {
        var signature = EvmSignatures.SignHash(privateKey, SigningHash());
        var v = new BigInteger(ChainId) * 2 + 35 + (signature[^1] - 27);
        return SignedTransaction.FromRaw(Rlp.EncodeList(
        [
            .. Fields(),
            Rlp.EncodeInteger(v),
            Rlp.EncodeInteger(new BigInteger(signature.AsSpan(0, 32), isUnsigned: true, isBigEndian: true)),
            Rlp.EncodeInteger(new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true)),
        ]));
    }

    private byte[][] Fields() =>
    [
        Rlp.EncodeInteger(Nonce),
        Rlp.EncodeInteger(GasPrice),
        Rlp.EncodeInteger(GasLimit),
        Rlp.EncodeBytes(To is null ? [] : AbiEncoder.ParseAddress(To, nameof(To))),
        Rlp.EncodeInteger(Value),
        Rlp.EncodeBytes(Data ?? throw new ArgumentNullException(nameof(Data))),
    ];
}
