using System.Globalization;

namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>Number formats shared by the summaries.</summary>
public static class Format
{
    /// <summary>A rate with thousands separators: 1,234,567.</summary>
    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A ratio: 0.42×.</summary>
    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    /// <summary>A fixed-point number with <paramref name="decimals"/> decimals.</summary>
    public static string Fixed(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>"met" or "MISSED".</summary>
    public static string Verdict(bool met) => met ? "met" : "MISSED";
}
