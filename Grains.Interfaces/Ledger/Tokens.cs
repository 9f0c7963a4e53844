using System.Globalization;

namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// iChat amounts are integers of base units, 18 decimals as an ERC-20 token has: 1 iChat = 10^18 base units. Nothing
/// in the cluster computes with fractions; these helpers only convert for people.
/// </summary>
public static class Tokens
{
    /// <summary>Decimal places of the token.</summary>
    public const int Decimals = 18;

    /// <summary>Base units in one whole iChat (10^18).</summary>
    public static readonly UInt128 One = UInt128.Parse("1000000000000000000", CultureInfo.InvariantCulture);

    /// <summary>Base units of <paramref name="whole"/> iChat.</summary>
    public static UInt128 Whole(ulong whole) => checked(whole * One);

    /// <summary>Formats base units as a decimal iChat amount without trailing zeros: 1500000000000000000 → "1.5".</summary>
    public static string Format(UInt128 baseUnits)
    {
        var whole = baseUnits / One;
        var fraction = baseUnits % One;
        if (fraction == UInt128.Zero)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        return $"{whole.ToString(CultureInfo.InvariantCulture)}.{digits}";
    }

    /// <summary>Parses a decimal iChat amount ("1000000", "0.25") into base units; false when it is not one or has over 18 decimals.</summary>
    public static bool TryParse(string? text, out UInt128 baseUnits)
    {
        baseUnits = UInt128.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var point = text.IndexOf('.');
        var wholeText = point < 0 ? text : text[..point];
        var fractionText = point < 0 ? string.Empty : text[(point + 1)..];
        if (wholeText.Length == 0 || fractionText.Length > Decimals || (point >= 0 && fractionText.Length == 0)
            || !wholeText.All(char.IsAsciiDigit) || !fractionText.All(char.IsAsciiDigit))
        {
            return false;
        }

        try
        {
            var whole = UInt128.Parse(wholeText, CultureInfo.InvariantCulture);
            var fraction = fractionText.Length == 0 ? UInt128.Zero : UInt128.Parse(fractionText.PadRight(Decimals, '0'), CultureInfo.InvariantCulture);
            baseUnits = checked((whole * One) + fraction);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
