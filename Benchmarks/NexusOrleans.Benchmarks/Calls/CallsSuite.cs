using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Calls;

/// <summary>
/// Suite <c>calls</c>: runs <see cref="CallsBenchmarks"/> under BenchmarkDotNet (each case in its own process, the
/// runtime and the channel baseline in the same run) and prints calls/s, BenchmarkDotNet's ratio and bytes allocated per
/// call; then <see cref="CallCounters"/> measures where the time goes.
/// </summary>
public static class CallsSuite
{
    /// <summary>The target: calls per second on the best configuration.</summary>
    public const double TargetCallsPerSecond = 1_000_000;

    /// <summary>The target: runtime throughput as a fraction of the bare channel loop.</summary>
    public const double TargetRatio = 0.3;

    /// <summary>Iterations measured per case; the median is quoted.</summary>
    public const int Iterations = 9;

    /// <summary>Runs the suite; returns the process exit code.</summary>
    public static async Task<int> RunAsync()
    {
        var job = Job.Default
            .WithGcServer(true)
            .WithGcConcurrent(true)
            // As the silo runs (Silo/NexusOrleans.Silo.csproj): classic server GC, without its adaptive mode (DATAS).
            .WithEnvironmentVariable("DOTNET_GCDynamicAdaptationMode", "0")
            .WithWarmupCount(3)
            .WithIterationCount(Iterations)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithUnrollFactor(1);
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max)
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
            .WithOption(ConfigOptions.JoinSummary, false);
        var summary = BenchmarkRunner.Run<CallsBenchmarks>(config);
        if (summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success))
        {
            await Console.Error.WriteLineAsync("calls: some benchmark cases failed; see the log above.");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine($"calls: in-process counters, {CallCounters.Runs} interleaved runs per side and configuration...");
        var counters = await CallCounters.MeasureAsync(CallsBenchmarks.TargetValues, CallsBenchmarks.CallerValues);
        Print(summary, counters);
        return 0;
    }

    private static void Print(Summary summary, Dictionary<(bool Runtime, int Targets, int Callers), PerOperation> counters)
    {
        var rows = summary.Reports
            .GroupBy(report => (Targets: (int)report.BenchmarkCase.Parameters["Targets"], Callers: (int)report.BenchmarkCase.Parameters["Callers"]))
            .Select(group => new Row(
                group.Key.Targets,
                group.Key.Callers,
                Measure(summary, group.Single(report => report.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(CallsBenchmarks.Runtime))),
                Measure(summary, group.Single(report => report.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(CallsBenchmarks.ChannelLoop)))))
            .OrderBy(row => row.Targets).ThenBy(row => row.Callers)
            .ToList();

        var throughput = new MarkdownTable(
            "grains", "callers", "runtime calls/s", "channel loop calls/s", "throughput ratio (medians)",
            "BDN Ratio (time per call, means)", "alloc B/call runtime", "alloc B/call channel loop");
        foreach (var row in rows)
        {
            throughput.Row(
                row.Targets.ToString(CultureInfo.InvariantCulture),
                row.Callers.ToString(CultureInfo.InvariantCulture),
                Format.Count(row.Runtime.CallsPerSecond),
                Format.Count(row.Baseline.CallsPerSecond),
                Format.Ratio(row.Runtime.CallsPerSecond / row.Baseline.CallsPerSecond),
                row.Runtime.BdnRatio,
                Format.Fixed(row.Runtime.BytesPerCall, 0),
                Format.Fixed(row.Baseline.BytesPerCall, 0));
        }

        var where = new MarkdownTable(
            "grains", "callers", "CPU ns/call runtime", "channel loop", "cores busy runtime", "channel loop",
            "pool work items/call runtime", "channel loop", "lock contentions/1k calls runtime", "channel loop",
            "gen0 GCs/1M calls runtime", "channel loop");
        foreach (var row in rows)
        {
            var runtime = counters[(true, row.Targets, row.Callers)];
            var baseline = counters[(false, row.Targets, row.Callers)];
            where.Row(
                row.Targets.ToString(CultureInfo.InvariantCulture),
                row.Callers.ToString(CultureInfo.InvariantCulture),
                Format.Fixed(runtime.CpuNanoseconds, 0),
                Format.Fixed(baseline.CpuNanoseconds, 0),
                Format.Fixed(runtime.CoresBusy, 2),
                Format.Fixed(baseline.CoresBusy, 2),
                Format.Fixed(runtime.WorkItems, 2),
                Format.Fixed(baseline.WorkItems, 2),
                Format.Fixed(runtime.LockContentions * 1000, 2),
                Format.Fixed(baseline.LockContentions * 1000, 2),
                Format.Fixed(runtime.Gen0PerMillion, 1),
                Format.Fixed(baseline.Gen0PerMillion, 1));
        }

        var best = rows.MaxBy(row => row.Runtime.CallsPerSecond)!;
        var bestRatio = best.Runtime.CallsPerSecond / best.Baseline.CallsPerSecond;
        Console.WriteLine();
        Console.WriteLine("## calls: trivial grain call throughput, closed loop");
        Console.WriteLine();
        Console.WriteLine($"Machine: {Machine.Describe()}");
        Console.WriteLine(
            $"Throughput: median of {Iterations} BenchmarkDotNet iterations per case, each case in its own process; " +
            $"{CallsBenchmarks.CallsPerInvocation:N0} calls per invocation. BDN Ratio is runtime time per call ÷ channel-loop time per call.");
        Console.WriteLine();
        Console.Write(throughput);
        Console.WriteLine();
        Console.WriteLine($"Where the time goes: in-process counters in the suite's own process, median of {CallCounters.Runs} interleaved runs of {CallsBenchmarks.CallsPerInvocation:N0} calls.");
        Console.WriteLine();
        Console.Write(where);
        Console.WriteLine();
        Console.Write(new MarkdownTable("target", $"measured (best: {best.Targets} grains × {best.Callers} callers)", "verdict")
            .Row("≥ 1,000,000 calls/s", Format.Count(best.Runtime.CallsPerSecond) + " calls/s", Format.Verdict(best.Runtime.CallsPerSecond >= TargetCallsPerSecond))
            .Row("≥ 0.3× the channel loop", Format.Ratio(bestRatio) + " (same configuration)", Format.Verdict(bestRatio >= TargetRatio)));
    }

    private static Measured Measure(Summary summary, BenchmarkReport report) => new(
        1e9 / report.ResultStatistics!.Median,
        report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? double.NaN,
        BaselineRatioColumn.RatioMean.GetValue(summary, report.BenchmarkCase));

    private sealed record Row(int Targets, int Callers, Measured Runtime, Measured Baseline);

    private sealed record Measured(double CallsPerSecond, double BytesPerCall, string BdnRatio);
}
