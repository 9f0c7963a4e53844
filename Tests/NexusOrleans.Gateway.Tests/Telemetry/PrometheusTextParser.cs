using System.Text;

namespace NexusOrleans.Gateway.Tests.Telemetry;

/// <summary>
/// A small reader of the text exposition format for the tests: one sample line into its name, labels (unescaped) and
/// value, following the format's grammar rather than the writer's code, so the two can disagree.
/// </summary>
internal static class PrometheusTextParser
{
    public static (string Name, List<KeyValuePair<string, string>> Labels, string Value) ParseSample(string line)
    {
        var position = 0;
        var name = ReadName(line, ref position);
        var labels = new List<KeyValuePair<string, string>>();
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var key = ReadName(line, ref position);
                Expect(line, ref position, '=');
                Expect(line, ref position, '"');
                labels.Add(new(key, ReadQuoted(line, ref position)));
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        Expect(line, ref position, ' ');
        return (name, labels, line[position..]);
    }

    /// <summary>Every sample line of a scrape (comments and blank lines skipped).</summary>
    public static IEnumerable<(string Name, List<KeyValuePair<string, string>> Labels, string Value)> ParseSamples(string text)
        => text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).Select(ParseSample);

    private static string ReadName(string line, ref int position)
    {
        var start = position;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '_' or ':'))
        {
            position++;
        }

        return position > start ? line[start..position] : throw new FormatException($"A name was expected at {start} in: {line}");
    }

    private static string ReadQuoted(string line, ref int position)
    {
        var value = new StringBuilder();
        while (line[position] != '"')
        {
            if (line[position] == '\\')
            {
                position++;
                value.Append(line[position] switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    var other => throw new FormatException($"'\\{other}' is not an escape of the format, at {position} in: {line}"),
                });
            }
            else if (line[position] == '\n')
            {
                throw new FormatException("A raw line feed inside a label value.");
            }
            else
            {
                value.Append(line[position]);
            }

            position++;
        }

        position++;
        return value.ToString();
    }

    private static void Expect(string line, ref int position, char expected)
    {
        if (position >= line.Length || line[position] != expected)
        {
            throw new FormatException($"'{expected}' was expected at {position} in: {line}");
        }

        position++;
    }
}
