using System.Numerics;

namespace NexusOrleans.Chain.Serialization;

/// <summary>A decoded RLP item: a byte string or a list of items.</summary>
public sealed class RlpItem
{
    private readonly byte[]? _bytes;
    private readonly IReadOnlyList<RlpItem>? _items;

    private RlpItem(byte[]? bytes, IReadOnlyList<RlpItem>? items)
    {
        _bytes = bytes;
        _items = items;
    }

    public bool IsList => _items is not null;

    /// <summary>The bytes of a string item; throws for a list.</summary>
    public byte[] Bytes => _bytes ?? throw new InvalidOperationException("This RLP item is a list, not a byte string.");

    /// <summary>The items of a list; throws for a string.</summary>
    public IReadOnlyList<RlpItem> Items => _items ?? throw new InvalidOperationException("This RLP item is a byte string, not a list.");

    /// <summary>A string item read as a non-negative integer; leading zeros are not canonical and throw.</summary>
    public BigInteger ToInteger()
    {
        var bytes = Bytes;
        if (bytes.Length > 0 && bytes[0] == 0)
        {
            throw new FormatException("RLP: an integer has leading zero bytes.");
        }

        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    internal static RlpItem String(byte[] bytes) => new(bytes, null);

    internal static RlpItem List(IReadOnlyList<RlpItem> items) => new(null, items);
}
