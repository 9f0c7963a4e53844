using System.Globalization;

namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// ETags are a row's version number written in invariant decimal. Callers treat them as opaque strings; the
/// providers turn them back into numbers so the compare-and-swap happens in the database.
/// </summary>
internal static class StorageETag
{
    /// <summary>
    /// The version a malformed ETag stands for. Stored versions start at 1, so a compare-and-swap against it always
    /// fails and the caller gets the ordinary conflict instead of a parsing error.
    /// </summary>
    public const long Unmatchable = -1;

    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    public static string? Format(long? version) => version is { } v ? Format(v) : null;

    public static long Parse(string eTag) =>
        long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : Unmatchable;

    public static long? ParseOptional(string? eTag) => eTag is null ? null : Parse(eTag);
}
