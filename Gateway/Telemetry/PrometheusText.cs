// The Prometheus text exposition format 0.0.4, written by hand because the exporter package is not available here.
//
// What a scraper relies on, and how this file keeps it: one "# HELP" and one "# TYPE" line per metric family, before its
// samples, and never a family twice (instruments of the same name from two meters are merged under the first header);
// names match [a-zA-Z_:][a-zA-Z0-9_:]* (anything else becomes '_'); counters end in "_total"; a unit is a suffix in base
// units ("_seconds", "_bytes"), and OpenTelemetry's curly-brace annotations such as {envelope} are not units and add
// nothing; histogram buckets are cumulative, end with le="+Inf" equal to _count, and come with _sum and _count. Label
// values escape backslash, double quote and line feed; HELP text escapes backslash and line feed. Numbers use the
// invariant culture, with +Inf, -Inf and NaN spelled as the format wants.
using System.Globalization;
using System.Text;

namespace NexusOrleans.Gateway.Telemetry;

/// <summary>The pieces of the text format: names, label values, numbers, and one sample line.</summary>
public static class PrometheusText
{
    /// <summary>The content type a scrape answer carries.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Replaces every character a metric or label name may not hold with '_', and a leading digit too.</summary>
    public static string SanitizeName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }

        return builder.ToString();
    }

    /// <summary>The suffix a unit adds to a metric's name: base units spelled out, annotations ({…}) and "1" adding none.</summary>
    public static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => "",
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        _ when unit.StartsWith('{') => "",
        _ => SanitizeName(unit).Trim('_').ToLowerInvariant(),
    };

    /// <summary>The family name of an instrument: sanitized, the unit suffix added unless already there, "_total" for counters.</summary>
    public static string FamilyName(string instrument, string? unit, bool counter)
    {
        var name = SanitizeName(instrument);
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        return counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
    }

    /// <summary>Escapes HELP text: backslash and line feed.</summary>
    public static string EscapeHelp(string text)
        => text.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>A value as the format spells it.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Writes one sample line: <c>name{label="value",…} value</c>.</summary>
    public static void WriteSample(StringBuilder output, string name, IEnumerable<KeyValuePair<string, string>> labels, string value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(labels);
        output.Append(name);
        var first = true;
        foreach (var (key, text) in labels)
        {
            output.Append(first ? '{' : ',').Append(SanitizeName(key)).Append("=\"").Append(EscapeLabelValue(text)).Append('"');
            first = false;
        }

        if (!first)
        {
            output.Append('}');
        }

        output.Append(' ').Append(value).Append('\n');
    }
}
