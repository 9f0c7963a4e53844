namespace NexusOrleans.Runtime.Storage.Schema;

/// <summary>The rule both migration runners share: never run against a schema newer than this build knows.</summary>
internal static class SchemaVersionCheck
{
    /// <exception cref="StorageUnavailableException">The database records a version above the newest known one.</exception>
    public static void ThrowIfNewer(string storeName, string location, IReadOnlyCollection<int> applied, int newestKnown)
    {
        var newest = applied.Count == 0 ? 0 : applied.Max();
        if (newest > newestKnown)
        {
            throw new StorageUnavailableException(storeName, location,
                $"the database schema is at version {newest}, newer than version {newestKnown} that this build knows; " +
                "it was upgraded by a newer build, and this one will not run against it or downgrade it");
        }
    }
}
