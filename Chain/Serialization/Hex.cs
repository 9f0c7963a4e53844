using System.Globalization;
using System.Numerics;

namespace NexusOrleans.Chain.Serialization;

/// <summary>The JSON-RPC hex forms: data as "0x" and an even number of hex digits, quantities without leading zeros.</summary>
public static class Hex
{
    /// <summary>"0x" and lower-case hex digits.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => "0x" + Convert.ToHexStringLower(data);

    /// <summary>The bytes of "0x…" data (the prefix is required; "0x" alone is empty).</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length % 2 != 0)
        {
            throw new FormatException($"Hex data is \"0x\" and an even number of hex digits; '{Shorten(hex)}' is not.");
        }

        return Convert.FromHexString(hex.AsSpan(2));
    }

    /// <summary>A quantity: "0x0" for zero, otherwise no leading zeros.</summary>
    public static string Quantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A quantity is non-negative.");
        }

        if (value.IsZero)
        {
            return "0x0";
        }

        return "0x" + Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0');
    }

    /// <summary>The value of a quantity ("0x1a").</summary>
    public static BigInteger ParseQuantity(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length < 3)
        {
            throw new FormatException($"A quantity is \"0x\" and hex digits; '{Shorten(hex)}' is not.");
        }

        return BigInteger.Parse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
