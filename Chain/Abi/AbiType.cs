using System.Globalization;

namespace NexusOrleans.Chain.Abi;

public enum AbiKind
{
    UInt,
    Int,
    Address,
    Bool,
    FixedBytes,
    Bytes,
    String,
    Array,
}

/// <summary>
/// One Solidity ABI type of the subset this client encodes: <c>uint&lt;N&gt;</c>, <c>int&lt;N&gt;</c>, <c>address</c>,
/// <c>bool</c>, <c>bytes&lt;N&gt;</c>, <c>bytes</c>, <c>string</c> and dynamic arrays <c>T[]</c> of those. Tuples and
/// fixed-size arrays are refused when parsed, so an ABI that needs them fails loudly instead of encoding wrongly.
/// </summary>
public sealed record AbiType(AbiKind Kind, int Size = 0, AbiType? Element = null)
{
    /// <summary>Dynamic types live in the tail, reached through an offset in the head.</summary>
    public bool IsDynamic => Kind is AbiKind.Bytes or AbiKind.String or AbiKind.Array;

    /// <summary>The canonical name, as in a function signature ("uint256", "bytes32[]").</summary>
    public string Name => Kind switch
    {
        AbiKind.UInt => "uint" + Size.ToString(CultureInfo.InvariantCulture),
        AbiKind.Int => "int" + Size.ToString(CultureInfo.InvariantCulture),
        AbiKind.Address => "address",
        AbiKind.Bool => "bool",
        AbiKind.FixedBytes => "bytes" + Size.ToString(CultureInfo.InvariantCulture),
        AbiKind.Bytes => "bytes",
        AbiKind.String => "string",
        AbiKind.Array => Element!.Name + "[]",
        _ => throw new InvalidOperationException($"Unknown ABI kind {Kind}."),
    };

    public static AbiType Parse(string type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            return new AbiType(AbiKind.Array, 0, Parse(type[..^2]));
        }

        switch (type)
        {
            case "address": return new AbiType(AbiKind.Address);
            case "bool": return new AbiType(AbiKind.Bool);
            case "bytes": return new AbiType(AbiKind.Bytes);
            case "string": return new AbiType(AbiKind.String);
            case "uint": return new AbiType(AbiKind.UInt, 256);
            case "int": return new AbiType(AbiKind.Int, 256);
        }

        if (type.StartsWith("uint", StringComparison.Ordinal) && Bits(type[4..]) is { } uintBits)
        {
            return new AbiType(AbiKind.UInt, uintBits);
        }

        if (type.StartsWith("int", StringComparison.Ordinal) && Bits(type[3..]) is { } intBits)
        {
            return new AbiType(AbiKind.Int, intBits);
        }

        if (type.StartsWith("bytes", StringComparison.Ordinal)
            && int.TryParse(type[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length is >= 1 and <= 32)
        {
            return new AbiType(AbiKind.FixedBytes, length);
        }

        throw new NotSupportedException(
            $"ABI type '{type}' is not supported: only uintN, intN, address, bool, bytesN, bytes, string and T[] are.");
    }

    public override string ToString() => Name;

    private static int? Bits(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 8 and <= 256 && bits % 8 == 0
            ? bits
            : null;
}
