using System.Numerics;
using NexusOrleans.Chain.Serialization;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Chain.Transactions;

/// <summary>
/// An EIP-1559 (type 2) transaction with an empty access list. The signed hash is
/// Keccak-256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to, value, data, accessList])) and
/// the signed form appends yParity, r and s to that list. <see cref="To"/> null creates a contract from
/// <see cref="Data"/>. Signing is deterministic (RFC 6979, low s; see <see cref="EvmSignatures"/>), so the same fields
/// and key always give the same bytes and the same transaction hash.
/// </summary>
public sealed record Eip1559Transaction(
    ulong ChainId,
    ulong Nonce,
    BigInteger MaxPriorityFeePerGas,
    BigInteger MaxFeePerGas,
    ulong GasLimit,
    string? To,
    BigInteger Value,
    byte[] Data)
{
    public const byte TypeByte = 0x02;

    /// <summary>0x02 ‖ rlp of the nine unsigned fields.</summary>
    public byte[] EncodeUnsigned() => Typed(Rlp.EncodeList(Fields()));

    /// <summary>The 32-byte hash the sender signs.</summary>
    public byte[] SigningHash() => Keccak.Hash256(EncodeUnsigned());

    /// <summary>Signs with a 32-byte secp256k1 private key.</summary>
    public SignedTransaction Sign(ReadOnlySpan<byte> privateKey)
    {
        var signature = EvmSignatures.SignHash(privateKey, SigningHash());
        var yParity = signature[^1] - 27;
        var fields = Fields().ToList();
        fields.Add(Rlp.EncodeInteger(yParity));
        fields.Add(Rlp.EncodeInteger(new BigInteger(signature.AsSpan(0, 32), isUnsigned: true, isBigEndian: true)));
        fields.Add(Rlp.EncodeInteger(new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true)));
        return SignedTransaction.FromRaw(Typed(Rlp.EncodeList(fields)));
    }

    /// <summary>Reads back the fields of a signed type-2 transaction (the signature is not checked here).</summary>
    public static Eip1559Transaction DecodeSigned(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < 2 || raw[0] != TypeByte)
        {
            throw new FormatException("An EIP-1559 transaction starts with the type byte 0x02.");
        }

        var items = Rlp.Decode(raw[1..]).Items;
        if (items.Count != 12)
        {
            throw new FormatException($"A signed EIP-1559 transaction has 12 fields, not {items.Count}.");
        }

        var to = items[5].Bytes;
        return new Eip1559Transaction(
            (ulong)items[0].ToInteger(), (ulong)items[1].ToInteger(), items[2].ToInteger(), items[3].ToInteger(),
            (ulong)items[4].ToInteger(), to.Length == 0 ? null : Eip55.ToChecksumAddress(to), items[6].ToInteger(),
            items[7].Bytes);
    }

    private IEnumerable<byte[]> Fields()
    {
        ArgumentNullException.ThrowIfNull(Data);
        return
        [
            Rlp.EncodeInteger(ChainId),
            Rlp.EncodeInteger(Nonce),
            Rlp.EncodeInteger(MaxPriorityFeePerGas),
            Rlp.EncodeInteger(MaxFeePerGas),
            Rlp.EncodeInteger(GasLimit),
            Rlp.EncodeBytes(To is null ? [] : AbiEncoder.ParseAddress(To, nameof(To))),
            Rlp.EncodeInteger(Value),
            Rlp.EncodeBytes(Data),
            Rlp.EncodeList(), // access list: always empty here
        ];
    }

    private static byte[] Typed(byte[] rlp)
    {
        var typed = new byte[1 + rlp.Length];
        typed[0] = TypeByte;
        rlp.CopyTo(typed, 1);
        return typed;
    }
}
