using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Hosting;

namespace NexusOrleans.Gateway.RateLimiting;

/// <summary>
/// Token buckets per authenticated identity (all its connections to this relay share one) and per remote address
/// (connection attempts and frames before authentication). Buckets of idle partitions are dropped by the limiter,
/// so memory follows the active population, not everyone ever seen.
/// </summary>
internal sealed class GatewayRateLimiters : IDisposable
{
    private readonly PartitionedRateLimiter<string> _identities;
    private readonly PartitionedRateLimiter<string> _addresses;

    // System.Threading.RateLimiting replenishes buckets on the real clock; it has no TimeProvider seam.
    public GatewayRateLimiters(IOptions<GatewayOptions> options)
    {
        var gateway = options.Value;
        _identities = Create(gateway.PerIdentity);
        _addresses = Create(gateway.PerAddress);
    }

    /// <summary>Takes one permit for a frame of <paramref name="identity"/>; false with a retry hint when the bucket is empty.</summary>
    public bool TryAcquireForIdentity(string identity, out TimeSpan retryAfter) => TryAcquire(_identities, identity, out retryAfter);

    /// <summary>Takes one permit for a connection attempt or an unauthenticated frame from <paramref name="address"/>.</summary>
    public bool TryAcquireForAddress(string address, out TimeSpan retryAfter) => TryAcquire(_addresses, address, out retryAfter);

    public void Dispose()
    {
        _identities.Dispose();
        _addresses.Dispose();
    }

    private static bool TryAcquire(PartitionedRateLimiter<string> limiter, string key, out TimeSpan retryAfter)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var hint) ? hint : TimeSpan.FromSeconds(1);
        return false;
    }

    private static PartitionedRateLimiter<string> Create(GatewayOptions.RateLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            TokensPerPeriod = limit.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
