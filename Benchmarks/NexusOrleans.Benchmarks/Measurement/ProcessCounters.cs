using System.Diagnostics;

namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>
/// A snapshot of the process-wide counters that say where time and memory go, without an external tool:
/// wall and CPU time, thread-pool work items, lock contentions, bytes allocated and collections.
/// </summary>
public readonly record struct ProcessCounters(
    long Timestamp,
    TimeSpan CpuTime,
    long WorkItems,
    long LockContentions,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2)
{
    /// <summary>Reads every counter now.</summary>
    public static ProcessCounters Read()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessCounters(
            Stopwatch.GetTimestamp(),
            process.TotalProcessorTime,
            ThreadPool.CompletedWorkItemCount,
            Monitor.LockContentionCount,
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2));
    }

    /// <summary>What happened between <paramref name="start"/> and this snapshot, per <paramref name="operations"/>.</summary>
    public PerOperation Since(ProcessCounters start, long operations)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
        return new PerOperation(
            operations / wall.TotalSeconds,
            (CpuTime - start.CpuTime).TotalMicroseconds * 1000 / operations,
            (CpuTime - start.CpuTime) / wall,
            (double)(WorkItems - start.WorkItems) / operations,
            (double)(LockContentions - start.LockContentions) / operations,
            (double)(AllocatedBytes - start.AllocatedBytes) / operations,
            (Gen0 - start.Gen0) * 1e6 / operations,
            (Gen2 - start.Gen2) * 1e6 / operations);
    }
}

/// <summary>Counters divided by the operations they were spent on.</summary>
public readonly record struct PerOperation(
    double OperationsPerSecond,
    double CpuNanoseconds,
    double CoresBusy,
    double WorkItems,
    double LockContentions,
    double AllocatedBytes,
    double Gen0PerMillion,
    double Gen2PerMillion)
{
    /// <summary>The per-field median of several runs.</summary>
    public static PerOperation Median(IReadOnlyCollection<PerOperation> runs) => new(
        Stats.Median(runs.Select(run => run.OperationsPerSecond)),
        Stats.Median(runs.Select(run => run.CpuNanoseconds)),
        Stats.Median(runs.Select(run => run.CoresBusy)),
        Stats.Median(runs.Select(run => run.WorkItems)),
        Stats.Median(runs.Select(run => run.LockContentions)),
        Stats.Median(runs.Select(run => run.AllocatedBytes)),
        Stats.Median(runs.Select(run => run.Gen0PerMillion)),
        Stats.Median(runs.Select(run => run.Gen2PerMillion)));
}
