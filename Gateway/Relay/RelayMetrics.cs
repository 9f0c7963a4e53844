using System.Diagnostics.Metrics;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Gateway.Relay;

/// <summary>
/// Whether this relay node is registered with the cluster right now (1 or 0) and its heartbeats by outcome, tagged with
/// this node's own relay key so a dashboard can show each relay's uptime.
/// </summary>
internal sealed class RelayMetrics
{
    private readonly Counter<long> _heartbeats;
    private readonly KeyValuePair<string, object?> _relay;
    private volatile int _registered;

    public RelayMetrics(IMeterFactory meterFactory, RelayIdentity relay)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(relay);
        _relay = new KeyValuePair<string, object?>("relay", relay.Key.ToString());
        var meter = meterFactory.Create(NexusTelemetry.MeterName);
        meter.CreateObservableGauge("nexus.relay.registered", () => new Measurement<int>(_registered, _relay), "{relay}",
            "1 while this relay node is registered with the cluster and listed for phones, else 0.");
        _heartbeats = meter.CreateCounter<long>("nexus.relay.heartbeats", "{heartbeat}", "Heartbeats this relay sent to the cluster, by outcome (ok, failed).");
        _heartbeats.Add(0, _relay, new KeyValuePair<string, object?>("outcome", "ok"));
        _heartbeats.Add(0, _relay, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    public void Registered(bool registered) => _registered = registered ? 1 : 0;

    public void Heartbeat(bool succeeded)
        => _heartbeats.Add(1, _relay, new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : "failed"));
}
