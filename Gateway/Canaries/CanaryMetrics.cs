using System.Diagnostics.Metrics;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Gateway.Canaries;

/// <summary>
/// The canaries this silo sent through each relay, those delivered and lost, and their latency; tagged with the
/// measured relay's public key, a set bounded by the live relay list (the probe identities are never tags).
/// </summary>
internal sealed class CanaryMetrics
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _lost;
    private readonly Histogram<double> _latency;

    public CanaryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(NexusTelemetry.MeterName);
        _sent = meter.CreateCounter<long>("nexus.canary.sent", "{canary}", "Canaries sent through a relay.");
        _delivered = meter.CreateCounter<long>("nexus.canary.delivered", "{canary}", "Canaries delivered by a relay before their timeout.");
        _lost = meter.CreateCounter<long>("nexus.canary.lost", "{canary}", "Canaries a relay refused, could not take, or did not deliver in time.");
        _latency = meter.CreateHistogram<double>("nexus.canary.latency", "s", "From sending a canary to its delivery through the relay.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    public void Sent(string relayKey)
    {
        _sent.Add(1, Relay(relayKey));

        // The first canary through a relay starts its delivered and lost series at 0, so its loss ratio is defined.
        _delivered.Add(0, Relay(relayKey));
        _lost.Add(0, Relay(relayKey));
    }

    public void Delivered(string relayKey, TimeSpan latency)
    {
        _delivered.Add(1, Relay(relayKey));
        _latency.Record(latency.TotalSeconds, Relay(relayKey));
    }

    public void Lost(string relayKey) => _lost.Add(1, Relay(relayKey));

    private static KeyValuePair<string, object?> Relay(string relayKey) => new("relay", relayKey);
}
