using System.Diagnostics.Metrics;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Grains.Inbox;

/// <summary>
/// What the inboxes of this silo did with envelopes: stored, refused (by reason), burned on read, expired unread, and
/// how full an inbox was after each deposit. Tags come from fixed sets; an inbox's key is never one.
/// </summary>
public sealed class InboxMetrics
{
    private static readonly KeyValuePair<string, object?> Duplicate = new("reason", "duplicate");
    private static readonly KeyValuePair<string, object?> Expired = new("reason", "expired");
    private static readonly KeyValuePair<string, object?> Full = new("reason", "inbox-full");

    private readonly Counter<long> _stored;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _burned;
    private readonly Counter<long> _expired;
    private readonly Histogram<long> _depth;
    private readonly Histogram<long> _bytes;

    public InboxMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(NexusTelemetry.MeterName);
        _stored = meter.CreateCounter<long>("nexus.inbox.stored", "{envelope}", "Envelopes an inbox stored.");
        _refused = meter.CreateCounter<long>("nexus.inbox.refused", "{envelope}", "Envelopes an inbox did not store, by reason (duplicate, expired, inbox-full).");
        _burned = meter.CreateCounter<long>("nexus.envelopes.burned", "{envelope}", "Envelopes deleted because their recipient read them (burn after reading).");
        _expired = meter.CreateCounter<long>("nexus.envelopes.expired", "{envelope}", "Envelopes deleted unread because their time ran out.");
        _depth = meter.CreateHistogram<long>("nexus.inbox.depth", "{envelope}", "Unread envelopes in an inbox right after a deposit.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] });
        _bytes = meter.CreateHistogram<long>("nexus.inbox.size", "By", "Bytes of unread envelopes in an inbox right after a deposit.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 8388608] });

        // Every series exists (at 0) from the start, so a rate over it is defined before the first event.
        _stored.Add(0);
        _burned.Add(0);
        _expired.Add(0);
        _refused.Add(0, Duplicate);
        _refused.Add(0, Expired);
        _refused.Add(0, Full);
    }

    public void Stored(int depth, long bytes)
    {
        _stored.Add(1);
        _depth.Record(depth);
        _bytes.Record(bytes);
    }

    public void Refused(DepositStatus status) => _refused.Add(1, status switch
    {
        DepositStatus.Duplicate => Duplicate,
        DepositStatus.Expired => Expired,
        _ => Full,
    });

    public void Burned(int count) => _burned.Add(count);

    public void ExpiredUnread(int count)
    {
        if (count > 0)
        {
            _expired.Add(count);
        }
    }
}
