using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using NexusOrleans.Gateway.Connections;
using NexusOrleans.Grains.Relays;

namespace NexusOrleans.Gateway.Relay;

/// <summary>
/// The measured latency of each listed relay, for <c>GET /v1/relays</c>: the median canary latency of the current UTC
/// hour from the relay's quality grain, or of the previous hour when the current one has no delivered canary yet, or null.
/// </summary>
/// <remarks>
/// One instance per gateway. Answers are cached for <see cref="CacheFor"/> on the gateway's clock, so a burst of list
/// requests costs one refresh: one quality grain call per listed relay (two when the current hour has nothing delivered),
/// all in parallel. A relay whose quality grain cannot be reached shows null until the next refresh; it never fails the list.
/// </remarks>
internal sealed partial class RelayLatencies
{
    /// <summary>How long a refresh is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private static readonly ConditionalWeakTable<GatewayContext, RelayLatencies> PerGateway = new();

    private static readonly TimeSpan OneHour = NexusOrleans.Grains.Epochs.EpochKeys.Hour;

    private readonly GatewayContext _gateway;
    private readonly Lock _gate = new();
    private Refresh? _latest;

    private RelayLatencies(GatewayContext gateway) => _gateway = gateway;

    /// <summary>The latencies of <paramref name="gateway"/>.</summary>
    public static RelayLatencies Of(GatewayContext gateway) => PerGateway.GetValue(gateway, static context => new RelayLatencies(context));

    /// <summary>Each of <paramref name="relayKeys"/> (64 hex) with its latency in whole milliseconds, or null when there is none.</summary>
    public async Task<IReadOnlyDictionary<string, int?>> GetAsync(IReadOnlyCollection<string> relayKeys)
    {
        Refresh refresh;
        lock (_gate)
        {
            var now = _gateway.Time.GetUtcNow();
            if (_latest is not { } latest || now >= latest.StartedAt + CacheFor || now < latest.StartedAt || !relayKeys.All(latest.Keys.Contains))
            {
                var keys = relayKeys.ToHashSet(StringComparer.Ordinal);
                _latest = new Refresh(now, keys, MeasureAllAsync(keys, now));
            }

            refresh = _latest;
        }

        return await refresh.Latencies;
    }

    private async Task<IReadOnlyDictionary<string, int?>> MeasureAllAsync(IReadOnlyCollection<string> relayKeys, DateTimeOffset now)
    {
        await Task.Yield(); // start the refresh outside the caller's lock
        var hour = NexusOrleans.Grains.Epochs.EpochKeys.HourOf(now);
        var measured = await Task.WhenAll(relayKeys.Select(async key => (Key: key, LatencyMs: await MeasureAsync(key, hour))));
        return measured.ToDictionary(entry => entry.Key, entry => entry.LatencyMs, StringComparer.Ordinal);
    }

    private async Task<int?> MeasureAsync(string relayKey, DateTimeOffset hour)
    {
        try
        {
            var quality = _gateway.Grains.GetRelayQuality(relayKey);
            var median = (await quality.GetPeriod(hour, OneHour)).MedianLatency ?? (await quality.GetPeriod(hour - OneHour, OneHour)).MedianLatency;
            return median is { } latency ? ToMilliseconds(latency) : null;
        }
        catch (Exception exception)
        {
            // No request's token is involved here, so even a cancellation is the grain call's failure; the refresh is
            // shared by every request for CacheFor and must not fault.
            LogLatencyUnavailable(_gateway.Logger, relayKey, exception.GetType().Name, exception.Message);
            return null;
        }
    }

    /// <summary>Whole milliseconds, rounded to the nearest (halves away from zero), within what the signed list can carry.</summary>
    internal static int ToMilliseconds(TimeSpan latency)
        => (int)Math.Clamp(Math.Round(latency.TotalMilliseconds, MidpointRounding.AwayFromZero), 0, int.MaxValue);

    private sealed record Refresh(DateTimeOffset StartedAt, IReadOnlySet<string> Keys, Task<IReadOnlyDictionary<string, int?>> Latencies);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "Relay list: the latency of relay {RelayKey} is unavailable, listed as null ({ExceptionType}: {Reason})")]
    private static partial void LogLatencyUnavailable(ILogger logger, string relayKey, string exceptionType, string reason);
}
