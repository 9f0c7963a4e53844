using System.Diagnostics.Metrics;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Grains.Epochs;

/// <summary>
/// Reward epochs closed by this silo and what they paid: tokens minted as rewards and slashed from stakes, in whole
/// iChat (a metric is a float; the ledger keeps the exact base units).
/// </summary>
public sealed class EpochMetrics
{
    private const double BaseUnitsPerToken = 1e18;

    private readonly Counter<long> _closed;
    private readonly Counter<double> _minted;
    private readonly Counter<double> _slashed;
    private readonly Counter<long> _slashes;

    public EpochMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(NexusTelemetry.MeterName);
        _closed = meter.CreateCounter<long>("nexus.epochs.closed", "{epoch}", "Hourly reward epochs closed.");
        _minted = meter.CreateCounter<double>("nexus.epochs.rewards.minted", "{iChat}", "iChat minted as relay rewards by closed epochs.");
        _slashed = meter.CreateCounter<double>("nexus.epochs.slashed", "{iChat}", "iChat slashed from relay operators' stakes by closed epochs.");
        _slashes = meter.CreateCounter<long>("nexus.epochs.slashes", "{slash}", "Operators slashed by closed epochs.");

        // An epoch closes once an hour: the series exist (at 0) from the start rather than an hour later.
        _closed.Add(0);
        _minted.Add(0);
        _slashed.Add(0);
        _slashes.Add(0);
    }

    /// <summary>Counts one closed epoch and the totals of its batch.</summary>
    public void Closed(IEnumerable<(UInt128 Reward, UInt128 Slash)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _closed.Add(1);
        foreach (var (reward, slash) in lines)
        {
            if (reward > UInt128.Zero)
            {
                _minted.Add((double)reward / BaseUnitsPerToken);
            }

            if (slash > UInt128.Zero)
            {
                _slashed.Add((double)slash / BaseUnitsPerToken);
                _slashes.Add(1);
            }
        }
    }
}
