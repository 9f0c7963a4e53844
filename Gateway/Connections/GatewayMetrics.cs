using System.Diagnostics.Metrics;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Gateway.Connections;

/// <summary>
/// What this gateway does for phones: connections open, envelopes accepted or rejected (by the error code the phone
/// got), deliveries pushed and how long after sending. Error codes are the protocol's fixed set; no key is ever a tag.
/// </summary>
internal sealed class GatewayMetrics
{
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _delivered;
    private readonly Histogram<double> _latency;

    // Every code a send can be answered with, so each series exists (at 0) from the start and a rate over it is defined.
    private static readonly string[] SendErrorCodes =
    [
        ErrorCodes.Invalid, ErrorCodes.TooLarge, ErrorCodes.Unauthorized, ErrorCodes.Expired, ErrorCodes.PaymentRequired,
        ErrorCodes.Duplicate, ErrorCodes.InboxFull, ErrorCodes.Unavailable,
    ];

    public GatewayMetrics(IMeterFactory meterFactory, ConnectionRegistry connections)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(NexusTelemetry.MeterName);
        meter.CreateObservableGauge("nexus.gateway.connections", () => connections.Count, "{connection}", "Phone WebSocket connections open on this gateway.");
        _accepted = meter.CreateCounter<long>("nexus.envelopes.accepted", "{envelope}", "Envelopes phones sent that the recipient's inbox stored.");
        _rejected = meter.CreateCounter<long>("nexus.envelopes.rejected", "{envelope}", "Envelopes phones sent that were not stored, by the error code answered.");
        _delivered = meter.CreateCounter<long>("nexus.envelopes.delivered", "{envelope}", "Envelopes pushed to a connected recipient phone.");
        _latency = meter.CreateHistogram<double>("nexus.delivery.latency", "s",
            "From an envelope's creation (the sender's clock) to its push to the recipient's phone.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600] });
        _accepted.Add(0);
        _delivered.Add(0);
        foreach (var code in SendErrorCodes)
        {
            Rejected(code, 0);
        }
    }

    public void Accepted() => _accepted.Add(1);

    public void Rejected(string code, long count = 1) => _rejected.Add(count, new KeyValuePair<string, object?>("code", code));

    public void Delivered(TimeSpan sinceCreated)
    {
        _delivered.Add(1);
        _latency.Record(Math.Max(0, sinceCreated.TotalSeconds));
    }
}
