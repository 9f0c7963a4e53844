using System.Globalization;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// Observer keys say which process hosts the observer: <c>{32 hex digits}@{host}:{port}@{generation}</c>, or just the
/// hex digits in a process without a silo-to-silo endpoint. A call to an observer goes to the process its key names;
/// when that incarnation is gone the call fails and the subscription lapses as any failing one does.
/// </summary>
internal static class ObserverKey
{
    public static string Create(SiloAddress? host)
    {
        var id = Guid.NewGuid().ToString("N");
        return host is { } address ? $"{id}@{address}" : id;
    }

    /// <summary>The process hosting the observer, or null when the key names none (a local-only observer).</summary>
    public static SiloAddress? HostOf(GrainId observerId)
    {
        var key = observerId.Key;
        var at = key.IndexOf('@', StringComparison.Ordinal);
        var generationAt = key.LastIndexOf('@');
        if (at < 0 || generationAt <= at)
        {
            return null;
        }

        var colon = key.LastIndexOf(':', generationAt);
        if (colon <= at
            || !int.TryParse(key.AsSpan(colon + 1, generationAt - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(key.AsSpan(generationAt + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            return null;
        }

        return new SiloAddress(key[(at + 1)..colon], port, generation);
    }
}
