using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace NexusOrleans.Runtime.Storage.Schema;

/// <summary>
/// Loads the checked-in <c>.sql</c> files that the project embeds under their path below <c>Storage/</c>
/// (for example <c>Postgres/Sql/001_initial.sql</c>). Whole-line <c>--</c> comments are documentation for readers
/// and are dropped before a statement is sent.
/// </summary>
internal static partial class SqlScripts
{
    private static readonly Assembly ResourceAssembly = typeof(SqlScripts).Assembly;
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The statement text of one embedded file.</summary>
    /// <exception cref="InvalidOperationException">The file is not embedded (a packaging error).</exception>
    public static string Load(string resourceName) => Cache.GetOrAdd(resourceName, ReadAndStrip);

    /// <summary>The numbered migration files (<c>NNN_name.sql</c>) directly under <paramref name="folder"/>, in order.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations(string folder)
    {
        var migrations = new List<SchemaMigration>();
        foreach (var resource in ResourceAssembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(folder, StringComparison.Ordinal))
            {
                continue;
            }

            var match = MigrationFileName().Match(resource[folder.Length..]);
            if (match.Success)
            {
                var version = int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                migrations.Add(new SchemaMigration(version, match.Groups["name"].Value, Load(resource)));
            }
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Schema migrations under '{folder}' must be numbered 1, 2, 3 … without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    private static string ReadAndStrip(string resourceName)
    {
        using var stream = ResourceAssembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The SQL file '{resourceName}' is not embedded in {ResourceAssembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = new StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            if (!line.TrimStart().StartsWith("--", StringComparison.Ordinal) && line.Trim().Length > 0)
            {
                text.Append(line).Append('\n');
            }
        }

        return text.ToString().TrimEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{3})_(?<name>[a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex MigrationFileName();
}

/// <summary>One numbered schema change.</summary>
internal sealed record SchemaMigration(int Version, string Name, string Sql);
