using System.Numerics;

namespace NexusOrleans.Chain.Serialization;

/// <summary>
/// Recursive Length Prefix, the serialization of Ethereum transactions (yellow paper, appendix B). An item is a byte
/// string or a list of items. A single byte below 0x80 is itself; a string of 0–55 bytes is 0x80 + length, then the
/// bytes; a longer one is 0xb7 + the length of its big-endian length, the length, then the bytes; lists use 0xc0 and
/// 0xf7 the same way over the concatenated encodings of their items. Integers are their minimal big-endian bytes, so
/// zero is the empty string (0x80).
/// </summary>
/// <remarks>
/// The decoder accepts only the canonical encoding (what the encoder produces): a single byte below 0x80 wrapped in
/// 0x81, a long form for a short payload, a length with leading zeros or an item running past its parent all throw
/// <see cref="FormatException"/>, since two encodings of one transaction would give two hashes.
/// </remarks>
public static class Rlp
{
    private const byte ShortString = 0x80;
    private const byte LongString = 0xb7;
    private const byte ShortList = 0xc0;
    private const byte LongList = 0xf7;
    private const int MaxShortLength = 55;

    /// <summary>The encoding of a byte string.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < ShortString)
        {
            return [value[0]];
        }

        return WithPrefix(ShortString, LongString, value);
    }

    /// <summary>The encoding of a UTF-8 string (the wiki's "dog").</summary>
    public static byte[] EncodeString(string value) => EncodeBytes(System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>The encoding of a non-negative integer: its minimal big-endian bytes, zero as the empty string.</summary>
    public static byte[] EncodeInteger(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "RLP encodes non-negative integers only.");
        }

        return EncodeBytes(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>The encoding of a list whose items are already encoded.</summary>
    public static byte[] EncodeList(params IEnumerable<byte[]> encodedItems)
    {
        ArgumentNullException.ThrowIfNull(encodedItems);
        var payload = encodedItems.SelectMany(item => item).ToArray();
        return WithPrefix(ShortList, LongList, payload);
    }

    /// <summary>The one item <paramref name="encoded"/> holds; throws <see cref="FormatException"/> for anything else.</summary>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        var position = 0;
        var item = DecodeAt(encoded, ref position);
        if (position != encoded.Length)
        {
            throw new FormatException($"RLP: {encoded.Length - position} bytes follow the item.");
        }

        return item;
    }

    private static RlpItem DecodeAt(ReadOnlySpan<byte> data, ref int position)
    {
        if (position >= data.Length)
        {
            throw new FormatException("RLP: the input ends where an item should start.");
        }

        var prefix = data[position++];
        if (prefix < ShortString)
        {
            return RlpItem.String([prefix]);
        }

        var isList = prefix >= ShortList;
        var shortBase = isList ? ShortList : ShortString;
        var longBase = isList ? LongList : LongString;
        int length;
        if (prefix <= longBase)
        {
            length = prefix - shortBase;
        }
        else
        {
            var lengthOfLength = prefix - longBase;
            if (lengthOfLength > 4 || position + lengthOfLength > data.Length)
            {
                throw new FormatException("RLP: a length runs past the input or is too large.");
            }

            if (data[position] == 0)
            {
                throw new FormatException("RLP: a length has leading zeros.");
            }

            long longLength = 0;
            for (var i = 0; i < lengthOfLength; i++)
            {
                longLength = (longLength << 8) | data[position++];
            }

            if (longLength <= MaxShortLength || longLength > int.MaxValue)
            {
                throw new FormatException("RLP: the long form is used for a short payload.");
            }

            length = (int)longLength;
        }

        if (length > data.Length - position)
        {
            throw new FormatException("RLP: an item runs past the input.");
        }

        var payload = data.Slice(position, length);
        position += length;
        if (!isList)
        {
            if (length == 1 && payload[0] < ShortString)
            {
                throw new FormatException("RLP: a single byte below 0x80 must encode as itself.");
            }

            return RlpItem.String(payload.ToArray());
        }

        var items = new List<RlpItem>();
        var inner = 0;
        while (inner < payload.Length)
        {
            items.Add(DecodeAt(payload, ref inner));
        }

        return RlpItem.List(items);
    }

    private static byte[] WithPrefix(byte shortBase, byte longBase, ReadOnlySpan<byte> payload)
    {
        if (payload.Length <= MaxShortLength)
        {
            var result = new byte[1 + payload.Length];
            result[0] = (byte)(shortBase + payload.Length);
            payload.CopyTo(result.AsSpan(1));
            return result;
        }

        var length = new BigInteger(payload.Length).ToByteArray(isUnsigned: true, isBigEndian: true);
        var encoded = new byte[1 + length.Length + payload.Length];
        encoded[0] = (byte)(longBase + length.Length);
        length.CopyTo(encoded.AsSpan(1));
        payload.CopyTo(encoded.AsSpan(1 + length.Length));
        return encoded;
    }
}
