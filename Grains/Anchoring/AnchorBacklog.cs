using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>
/// The epochs this silo is anchoring and has not seen confirmed, and the instruments that publish them on the
/// "NexusOrleans" meter: <c>nexus.anchor.backlog</c> (epochs), <c>nexus.anchor.oldest_pending_age</c> (seconds since the
/// oldest of them was handed to anchoring), <c>nexus.anchor.conflicts</c> (epochs whose chain root differs) and
/// <c>nexus.anchor.transactions</c> (a counter tagged <c>state</c> = sent | replaced | resent | confirmed | failed).
/// Each silo counts the anchor grains active on it, so summing over silos gives the cluster's backlog.
/// </summary>
public sealed class AnchorBacklog : IDisposable
{
    private static readonly string[] States = ["sent", "replaced", "resent", "confirmed", "failed"];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _conflicts = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Meter _meter;
    private readonly Counter<long> _transactions;

    public AnchorBacklog(IMeterFactory meters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _meter = meters.Create(NexusTelemetry.MeterName);
        _meter.CreateObservableGauge("nexus.anchor.backlog", () => _pending.Count, "{epoch}", "Closed epochs not yet anchored and confirmed on chain");
        _meter.CreateObservableGauge("nexus.anchor.oldest_pending_age", () => OldestAge.TotalSeconds, "s", "How long the oldest epoch not yet confirmed on chain has waited");
        _meter.CreateObservableGauge("nexus.anchor.conflicts", () => _conflicts.Count, "{epoch}", "Epochs whose root on chain differs from the cluster's");
        _transactions = _meter.CreateCounter<long>("nexus.anchor.transactions", "{transaction}", "Anchoring transactions by what happened to them");
        // Every state's series exists from the first scrape, so a rate over it works before the first transaction.
        foreach (var state in States)
        {
            _transactions.Add(0, new KeyValuePair<string, object?>("state", state));
        }
    }

    /// <summary>Epochs not yet confirmed.</summary>
    public int Count => _pending.Count;

    /// <summary>Epochs in conflict with the chain.</summary>
    public int Conflicts => _conflicts.Count;

    /// <summary>How long the oldest unconfirmed epoch has waited; zero when none waits.</summary>
    public TimeSpan OldestAge
    {
        get
        {
            var oldest = _pending.Values.DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            return oldest == DateTimeOffset.MaxValue ? TimeSpan.Zero : _time.GetUtcNow() - oldest;
        }
    }

    public void Pending(string epoch, DateTimeOffset queuedAt) => _pending[epoch] = queuedAt;

    /// <summary>The epoch is no longer waiting here: confirmed, or its grain left this silo.</summary>
    public void Forget(string epoch) => _pending.TryRemove(epoch, out _);

    public void Conflict(string epoch)
    {
        _pending.TryRemove(epoch, out _);
        _conflicts[epoch] = 0;
    }

    /// <summary>Counts one transaction event; <paramref name="state"/> is one of sent, replaced, resent, confirmed, failed.</summary>
    public void Transaction(string state) => _transactions.Add(1, new KeyValuePair<string, object?>("state", state));

    public void Dispose() => _meter.Dispose();
}
