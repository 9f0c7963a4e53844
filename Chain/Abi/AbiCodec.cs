using System.Collections;
using System.Numerics;
using System.Text;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Chain.Abi;

/// <summary>
/// The Solidity ABI encoding of a list of values (function arguments, return values, event data, error arguments):
/// a head of one 32-byte word per value (the value itself for static types, the offset of its tail for dynamic ones),
/// then the tails. Values are .NET objects: <see cref="BigInteger"/> for integers (int, long, ulong and UInt128 are
/// accepted when encoding), a "0x…" string for an address (decoded as EIP-55), <see cref="bool"/>, <c>byte[]</c> for
/// bytesN and bytes, <see cref="string"/>, and a list for an array (decoded as <c>IReadOnlyList&lt;object&gt;</c>).
/// </summary>
/// <remarks>
/// Decoding treats the data as untrusted: an offset or length past the end, a value wider than its type, a bool other
/// than 0 or 1, or padding that is not zero throws <see cref="FormatException"/>, since each of those means the data
/// was not produced by the ABI the caller expects.
/// </remarks>
public static class AbiCodec
{
    public const int WordBytes = AbiEncoder.WordBytes;

    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
        {
            throw new ArgumentException($"{types.Count} ABI types need {types.Count} values, not {values.Count}.", nameof(values));
        }

        var head = new List<byte[]>();
        var tail = new List<byte[]>();
        var headLength = types.Count * WordBytes;
        var tailLength = 0;
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                var encoded = EncodeDynamic(types[i], values[i]);
                head.Add(UIntWord(headLength + tailLength));
                tail.Add(encoded);
                tailLength += encoded.Length;
            }
            else
            {
                head.Add(EncodeStatic(types[i], values[i]));
            }
        }

        return [.. head.SelectMany(word => word), .. tail.SelectMany(part => part)];
    }

    public static object[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        var values = new object[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            values[i] = DecodeAt(types[i], data, i * WordBytes);
        }

        return values;
    }

    /// <summary>One static value read from a 32-byte word (an indexed event topic).</summary>
    public static object DecodeWord(AbiType type, ReadOnlySpan<byte> word)
    {
        if (type.IsDynamic)
        {
            throw new NotSupportedException($"An indexed {type} is stored as its hash and cannot be decoded.");
        }

        return DecodeStatic(type, Word(word, 0));
    }

    /// <summary>One value as the ABI word(s) it is, for a topic filter of a static indexed argument.</summary>
    public static byte[] EncodeWord(AbiType type, object? value) => EncodeStatic(type, value);

    private static byte[] EncodeStatic(AbiType type, object? value)
    {
        var word = new byte[WordBytes];
        switch (type.Kind)
        {
            case AbiKind.UInt:
            {
                var integer = ToInteger(value, type);
                if (integer.Sign < 0 || integer.GetBitLength() > type.Size)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, $"A {type} is a whole number from 0 to 2^{type.Size} - 1.");
                }

                AbiEncoder.WriteUInt256(integer, word);
                return word;
            }

            case AbiKind.Int:
            {
                var integer = ToInteger(value, type);
                var limit = BigInteger.One << (type.Size - 1);
                if (integer < -limit || integer >= limit)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, $"A {type} is from -2^{type.Size - 1} to 2^{type.Size - 1} - 1.");
                }

                AbiEncoder.WriteUInt256(integer.Sign < 0 ? (BigInteger.One << 256) + integer : integer, word);
                return word;
            }

            case AbiKind.Address:
                AbiEncoder.WriteAddress(AbiEncoder.ParseAddress(value as string ?? throw Wrong(type, value), nameof(value)), word);
                return word;
            case AbiKind.Bool:
                word[^1] = value is bool flag ? (byte)(flag ? 1 : 0) : throw Wrong(type, value);
                return word;
            case AbiKind.FixedBytes:
                if (value is not byte[] bytes || bytes.Length != type.Size)
                {
                    throw new ArgumentException($"A {type} is exactly {type.Size} bytes; got {Describe(value)}.", nameof(value));
                }

                bytes.CopyTo(word, 0);
                return word;
            default:
                throw new InvalidOperationException($"{type} is dynamic.");
        }
    }

    private static byte[] EncodeDynamic(AbiType type, object? value)
    {
        switch (type.Kind)
        {
            case AbiKind.Bytes:
                return EncodeByteString(value as byte[] ?? throw Wrong(type, value));
            case AbiKind.String:
                return EncodeByteString(Encoding.UTF8.GetBytes(value as string ?? throw Wrong(type, value)));
            case AbiKind.Array:
                if (value is not IEnumerable items || value is string)
                {
                    throw Wrong(type, value);
                }

                var list = items.Cast<object?>().ToArray();
                var elements = Encode(Enumerable.Repeat(type.Element!, list.Length).ToArray(), list);
                return [.. UIntWord(list.Length), .. elements];
            default:
                throw new InvalidOperationException($"{type} is static.");
        }
    }

    private static byte[] EncodeByteString(byte[] bytes)
    {
        var padded = (bytes.Length + WordBytes - 1) / WordBytes * WordBytes;
        var encoded = new byte[WordBytes + padded];
        UIntWord(bytes.Length).CopyTo(encoded, 0);
        bytes.CopyTo(encoded, WordBytes);
        return encoded;
    }

    private static object DecodeAt(AbiType type, ReadOnlySpan<byte> data, int headOffset)
    {
        var word = Word(data, headOffset);
        if (!type.IsDynamic)
        {
            return DecodeStatic(type, word);
        }

        var start = ToLength(word, data.Length);
        var length = ToLength(Word(data, start), data.Length);
        var body = start + WordBytes;
        switch (type.Kind)
        {
            case AbiKind.Bytes or AbiKind.String:
                if (length > data.Length - body)
                {
                    throw new FormatException($"ABI: a {type} of {length} bytes runs past the data.");
                }

                var bytes = data.Slice(body, length).ToArray();
                return type.Kind == AbiKind.Bytes ? bytes : Encoding.UTF8.GetString(bytes);
            default:
                var inner = data[body..];
                var items = new object[length];
                for (var i = 0; i < length; i++)
                {
                    items[i] = DecodeAt(type.Element!, inner, i * WordBytes);
                }

                return items;
        }
    }

    private static object DecodeStatic(AbiType type, ReadOnlySpan<byte> word)
    {
        switch (type.Kind)
        {
            case AbiKind.UInt:
            {
                var value = new BigInteger(word, isUnsigned: true, isBigEndian: true);
                return value.GetBitLength() <= type.Size ? value : throw new FormatException($"ABI: {value} does not fit a {type}.");
            }

            case AbiKind.Int:
            {
                var value = new BigInteger(word, isUnsigned: false, isBigEndian: true);
                var limit = BigInteger.One << (type.Size - 1);
                return value >= -limit && value < limit ? value : throw new FormatException($"ABI: {value} does not fit a {type}.");
            }

            case AbiKind.Address:
                RequireZero(word[..12], type);
                return Eip55.ToChecksumAddress(word[12..]);
            case AbiKind.Bool:
                RequireZero(word[..^1], type);
                return word[^1] switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new FormatException($"ABI: a bool is 0 or 1, not {word[^1]}."),
                };
            case AbiKind.FixedBytes:
                RequireZero(word[type.Size..], type);
                return word[..type.Size].ToArray();
            default:
                throw new InvalidOperationException($"{type} is dynamic.");
        }
    }

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> data, int offset) =>
        offset >= 0 && offset <= data.Length - WordBytes
            ? data.Slice(offset, WordBytes)
            : throw new FormatException($"ABI: the data ({data.Length} bytes) ends before the word at offset {offset}.");

    private static int ToLength(ReadOnlySpan<byte> word, int limit)
    {
        var value = new BigInteger(word, isUnsigned: true, isBigEndian: true);
        return value <= limit ? (int)value : throw new FormatException($"ABI: an offset or length of {value} exceeds the data ({limit} bytes).");
    }

    private static void RequireZero(ReadOnlySpan<byte> padding, AbiType type)
    {
        if (padding.ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"ABI: a {type} word has non-zero padding.");
        }
    }

    private static byte[] UIntWord(int value)
    {
        var word = new byte[WordBytes];
        AbiEncoder.WriteUInt256((UInt128)value, word);
        return word;
    }

    private static BigInteger ToInteger(object? value, AbiType type) => value switch
    {
        BigInteger integer => integer,
        UInt128 u128 => u128,
        ulong u64 => u64,
        long i64 => i64,
        uint u32 => u32,
        int i32 => i32,
        byte u8 => u8,
        _ => throw Wrong(type, value),
    };

    private static ArgumentException Wrong(AbiType type, object? value) =>
        new($"A {type} cannot be encoded from {Describe(value)}.", nameof(value));

    private static string Describe(object? value) => value switch
    {
        null => "null",
        byte[] bytes => $"{bytes.Length} bytes",
        _ => $"a {value.GetType().Name}",
    };
}
