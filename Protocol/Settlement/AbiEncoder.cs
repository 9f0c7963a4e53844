using System.Buffers;
using System.Buffers.Binary;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Settlement;

/// <summary>
/// The Solidity ABI encoding of the two static types an epoch batch leaf needs, <c>address</c> and <c>uint256</c>:
/// each is one 32-byte big-endian word, left-padded with zeros. For a tuple of static types, <c>abi.encode</c> is just
/// these head words one after another; dynamic types (bytes, string, arrays) need offsets and a tail and are not
/// supported here on purpose, so nothing can silently encode them wrong.
/// </summary>
public static class AbiEncoder
{
    public const int WordBytes = 32;

    /// <summary>
    /// The 20 bytes of an address written as "0x" and 40 hex characters in any case. The EIP-55 checksum is not checked:
    /// batch addresses come from the ledger, not from typing, and lower-case or upper-case forms carry no checksum.
    /// </summary>
    public static byte[] ParseAddress(string address, string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(address, parameterName);
        var bytes = new byte[Eip55.AddressBytes];
        if (address.Length != 2 + 2 * Eip55.AddressBytes
            || !address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || Convert.FromHexString(address.AsSpan(2), bytes, out _, out _) != OperationStatus.Done)
        {
            throw new ArgumentException($"An EVM address is \"0x\" followed by 40 hex characters (any case); '{address}' is not.", parameterName);
        }

        return bytes;
    }

    /// <summary>Writes a 20-byte address as one word: 12 zero bytes, then the address.</summary>
    public static void WriteAddress(ReadOnlySpan<byte> address, Span<byte> word)
    {
        if (address.Length != Eip55.AddressBytes)
        {
            throw new ArgumentException($"An EVM address is {Eip55.AddressBytes} bytes long, not {address.Length}.", nameof(address));
        }

        RequireWord(word);
        word[..(WordBytes - Eip55.AddressBytes)].Clear();
        address.CopyTo(word[(WordBytes - Eip55.AddressBytes)..]);
    }

    /// <summary>Writes <paramref name="value"/> as a <c>uint256</c> word: 16 zero bytes, then 16 bytes big-endian.</summary>
    public static void WriteUInt256(UInt128 value, Span<byte> word)
    {
        RequireWord(word);
        word[..16].Clear();
        BinaryPrimitives.WriteUInt128BigEndian(word[16..], value);
    }

    /// <summary>Writes <paramref name="value"/> (0 to 2^256 − 1) as a <c>uint256</c> word.</summary>
    public static void WriteUInt256(System.Numerics.BigInteger value, Span<byte> word)
    {
        RequireWord(word);
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > WordBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A uint256 is a whole number from 0 to 2^256 - 1.");
        }

        word.Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(word[(WordBytes - length)..], out _, isUnsigned: true, isBigEndian: true);
    }

    private static void RequireWord(Span<byte> word)
    {
        if (word.Length != WordBytes)
        {
            throw new ArgumentException($"An ABI word is {WordBytes} bytes long, not {word.Length}.", nameof(word));
        }
    }
}
