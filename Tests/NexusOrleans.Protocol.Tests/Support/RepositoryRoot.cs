namespace NexusOrleans.Protocol.Tests.Support;

/// <summary>The repository the tests were built from, found by walking up from the test binary to NexusOrleans.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>A path inside the repository, from '/'-separated parts relative to its root.</summary>
    public static string Combine(string relativePath) => System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "NexusOrleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No NexusOrleans.sln in {AppContext.BaseDirectory} or any directory above it; the tests must run from a build inside the repository.");
    }
}
