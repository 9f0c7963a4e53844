using System.Text.Json;

namespace NexusOrleans.Protocol.Tests.Identity;

/// <summary>
/// The published test vectors under docs/vectors/, read from the repository itself (found by walking up from the test
/// binaries to NexusOrleans.sln) so the files other languages check against are the very files these tests check.
/// </summary>
internal static class VectorFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string PathOf(string relativePath) => Path.Combine(RepositoryRoot, relativePath);

    public static JsonElement Load(string fileName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf(Path.Combine("docs", "vectors", fileName))));
        return document.RootElement.Clone();
    }

    public static byte[] Hex(this JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NexusOrleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"NexusOrleans.sln was not found above {AppContext.BaseDirectory}; the vector tests read docs/vectors from the repository.");
    }
}
