using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Relays;

/// <summary>
/// The canary record of one relay node (key: the relay key, 64 lowercase hex): which canary envelopes the cluster sent
/// through it, and when each reached the probe inbox. Reward epochs read an epoch's loss and median latency from it.
/// </summary>
/// <remarks>
/// The grain type is <c>relay-quality</c>. A canary counts in the period (hour or epoch) it was sent in; it is delivered when it reached
/// the probe within <see cref="CanaryOptions.Timeout"/> of being sent, and lost otherwise. Only the cluster's canary
/// prober should call the recording methods.
/// </remarks>
public interface IRelayQualityGrain : IGrain
{
    /// <summary>Records that canary <paramref name="canaryId"/> was sent through this relay at <paramref name="sentAt"/> (the cluster's time). A repeat is ignored.</summary>
    /// <exception cref="ArgumentException">The id is empty or longer than 128 characters.</exception>
    Task CanarySent(string canaryId, DateTimeOffset sentAt);

    /// <summary>
    /// Records that canary <paramref name="canaryId"/> reached the probe at <paramref name="deliveredAt"/>. Answers whether
    /// it counts as delivered: false when it was never sent, was delivered already, or arrived after its deadline.
    /// </summary>
    Task<bool> CanaryDelivered(string canaryId, DateTimeOffset deliveredAt);

    /// <summary>
    /// The canaries sent from <paramref name="start"/> for <paramref name="length"/> (an hour, or an epoch), judged now.
    /// Canaries are kept from the start of the previous UTC hour; a period starting earlier is empty.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="length"/> is not between a second and an hour.</exception>
    [ReadOnly]
    Task<CanaryPeriod> GetPeriod(DateTimeOffset start, TimeSpan length);
}

/// <summary>The canaries of one relay in one period (an hour, or an epoch), as judged at <paramref name="AsOf"/>.</summary>
/// <param name="Start">The start of the period.</param>
/// <param name="Length">How long the period lasts.</param>
/// <param name="Sent">Canaries sent through the relay in the period.</param>
/// <param name="Delivered">Of those, the ones that reached the probe within the timeout.</param>
/// <param name="Lost">Of those, the ones whose deadline passed without a delivery in time.</param>
/// <param name="MedianLatency">Median send-to-delivery time of the delivered ones (the lower middle of an even count); null when none.</param>
/// <param name="AsOf">The grain's time when it judged.</param>
public sealed record CanaryPeriod(DateTimeOffset Start, TimeSpan Length, int Sent, int Delivered, int Lost, TimeSpan? MedianLatency, DateTimeOffset AsOf)
{
    /// <summary>Canaries still within their deadline: neither delivered nor lost yet.</summary>
    public int Pending => Sent - Delivered - Lost;
}

/// <summary>Where the relay quality grains are.</summary>
public static class RelayQuality
{
    /// <summary>The quality grain of a relay key (64 hex in any case).</summary>
    public static IRelayQualityGrain GetRelayQuality(this IGrainFactory grains, string relayKey)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(relayKey);
        return grains.GetGrain<IRelayQualityGrain>(relayKey.ToLowerInvariant());
    }
}
