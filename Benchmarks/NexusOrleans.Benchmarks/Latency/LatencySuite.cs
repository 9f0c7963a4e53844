using System.Diagnostics;
using System.Globalization;
using NexusOrleans.Benchmarks.Baseline;
using NexusOrleans.Benchmarks.Calls;
using NexusOrleans.Benchmarks.Grains;
using NexusOrleans.Benchmarks.Hosting;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Latency;

/// <summary>
/// Suite <c>latency</c>: first the runtime's maximum closed-loop throughput on this machine (the best caller count of
/// <see cref="CallsBenchmarks.CallerValues"/> over <see cref="Targets"/> grains), then open-loop latency at half of it
/// (the target load) and at two lighter loads, for the runtime and for the channel loop at the same offered rate, in
/// interleaved rounds.
/// </summary>
public static class LatencySuite
{
    /// <summary>Grains (and actors) the calls are spread over.</summary>
    public const int Targets = 1000;

    /// <summary>Closed-loop runs per caller count when finding the maximum; the median is taken.</summary>
    public const int MaxRuns = 5;

    /// <summary>Calls per closed-loop run when finding the maximum (about a third of a second at the rates seen here).</summary>
    public const int MaxRunCalls = 1 << 20;

    /// <summary>Open-loop rounds per side; each percentile is the median over rounds.</summary>
    public const int Rounds = 3;

    /// <summary>The target: 99th percentile below one millisecond.</summary>
    public static readonly TimeSpan TargetP99 = TimeSpan.FromMilliseconds(1);

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(10);
    private static readonly double[] Percentiles = [50, 90, 99, 99.9, 100];

    /// <summary>
    /// The target load: "p99 &lt; 1 ms at half that load", where that load is the throughput target of 1,000,000 calls/s.
    /// </summary>
    public const double TargetRate = 500_000;

    /// <summary>
    /// Runs the suite; returns the process exit code. With <paramref name="onlyRate"/>, measures that offered rate alone
    /// and skips finding the maximum (for experiments; the figures in BENCHMARKS.md come from the full suite).
    /// </summary>
    public static async Task<int> RunAsync(double? onlyRate = null)
    {
        await using var silo = await BenchSilo.StartPingSiloAsync();
        var grains = Enumerable.Range(0, Targets).Select(i => silo.Grains.GetGrain<IPingGrain>($"ping-{i}")).ToArray();
        await ClosedLoop.ActivateAllAsync(grains);
        var actors = Enumerable.Range(0, Targets).Select(_ => new ChannelActor()).ToArray();

        var sweep = new MarkdownTable("callers", "runtime calls/s (closed loop)", "channel loop calls/s");
        var best = (Callers: 0, Rate: 0.0, Baseline: 0.0);
        if (onlyRate is null)
        {
            Console.WriteLine($"latency: finding the runtime's maximum throughput over {Targets} grains (median of {MaxRuns} runs per caller count)...");
        }

        foreach (var callers in onlyRate is null ? CallsBenchmarks.CallerValues : [])
        {
            var runtime = await MaxRateAsync(() => ClosedLoop.RunAsync(grains, callers, MaxRunCalls / callers));
            var baseline = await MaxRateAsync(() => ClosedLoop.RunAsync(actors, callers, MaxRunCalls / callers));
            sweep.Row(callers.ToString(CultureInfo.InvariantCulture), Format.Count(runtime), Format.Count(baseline));
            if (runtime > best.Rate)
            {
                best = (callers, runtime, baseline);
            }
        }

        // The target load, then half of the maximum found here (the stricter reading of "half that load"), then a quarter.
        (string Label, double Rate, bool Target)[] loads = onlyRate is { } only
            ? [("offered", only, only == TargetRate)]
            :
            [
                ("half the 1 M/s target", TargetRate, true),
                ("50 % of max", best.Rate * 0.5, false),
                ("25 % of max", best.Rate * 0.25, false),
            ];
        var found = onlyRate is null ? $"maximum {best.Rate:N0} calls/s with {best.Callers} callers; " : "";
        Console.WriteLine($"latency: {found}open loop at {string.Join(", ", loads.Select(load => $"{load.Rate:N0}/s"))} " +
                          $"({WarmUp.TotalSeconds:F0} s warm-up + {Measured.TotalSeconds:F0} s measured per round, {Rounds} rounds per side)...");
        var table = new MarkdownTable(
            "load", "side", "offered calls/s", "achieved calls/s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs", "max issue lag µs", "GC paused", "GCs/s", "pool threads");
        var verdicts = new MarkdownTable("target", "measured", "verdict");
        foreach (var (label, rate, isTarget) in loads)
        {
            var runtimeRounds = new List<LatencyRecording>();
            var baselineRounds = new List<LatencyRecording>();
            for (var round = 0; round < Rounds; round++)
            {
                runtimeRounds.Add(await OpenLoop.RunAsync(i => grains[i % Targets].Ping(i), rate, WarmUp, Measured));
                Report("runtime", round, runtimeRounds[^1]);
                baselineRounds.Add(await OpenLoop.RunAsync(i => actors[i % Targets].Ping(i), rate, WarmUp, Measured));
                Report("channel loop", round, baselineRounds[^1]);
            }

            table.Row([label, .. Summarize("runtime", rate, runtimeRounds)]);
            table.Row([label, .. Summarize("channel loop", rate, baselineRounds)]);
            var runtimeP99 = Median(runtimeRounds, 99);
            var baselineP99 = Median(baselineRounds, 99);
            verdicts.Row(
                $"p99 < 1 ms at {label} ({Format.Count(rate)} calls/s)",
                $"{Format.Fixed(runtimeP99, 0)} µs (channel loop {Format.Fixed(baselineP99, 0)} µs, ratio {Format.Ratio(runtimeP99 / baselineP99)})",
                isTarget ? Format.Verdict(runtimeP99 < TargetP99.TotalMicroseconds) : (runtimeP99 < TargetP99.TotalMicroseconds ? "below 1 ms" : "above 1 ms") + " (not the target load)");
        }

        Console.WriteLine();
        Console.WriteLine("## latency: open loop at half the 1 M calls/s target and at half the measured maximum");
        Console.WriteLine();
        Console.WriteLine($"Machine: {Machine.Describe()}");
        Console.WriteLine($"Maximum found in this run (closed loop, {Targets} grains, median of {MaxRuns} runs of {MaxRunCalls:N0} calls):");
        Console.WriteLine();
        Console.Write(sweep);
        Console.WriteLine();
        Console.WriteLine($"Open loop over {Targets} targets from one generator thread (bursts every {OpenLoop.Nap.TotalMicroseconds:F0} µs); latency from each call's scheduled start to its caller's continuation; " +
                          $"each figure is the median over {Rounds} rounds of {Measured.TotalSeconds:F0} s (after {WarmUp.TotalSeconds:F0} s warm-up), sides interleaved. " +
                          "GC paused: share of the run the process was paused by the collector.");
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine();
        Console.Write(verdicts);
        return 0;
    }

    private static async Task<double> MaxRateAsync(Func<Task> workload)
    {
        await workload();
        var rates = new List<double>();
        for (var run = 0; run < MaxRuns; run++)
        {
            var started = Stopwatch.GetTimestamp();
            await workload();
            rates.Add(MaxRunCalls / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        return Stats.Median(rates);
    }

    private static void Report(string side, int round, LatencyRecording recording)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  round {round + 1} {side}: achieved {recording.AchievedRate:N0}/s, p50 {recording.PercentileMicroseconds(50):F0} µs, " +
            $"p99 {recording.PercentileMicroseconds(99):F0} µs, p99.9 {recording.PercentileMicroseconds(99.9):F0} µs, max {recording.PercentileMicroseconds(100):F0} µs, " +
            $"issue lag max {recording.MaxIssueLag.TotalMicroseconds:F0} µs, GC paused {recording.GcPausedFraction:P1}, {recording.CollectionsPerSecond:F1} GCs/s, " +
            $"{recording.PoolThreads} pool threads"));

    private static double Median(List<LatencyRecording> rounds, double percentile)
        => Stats.Median(rounds.Select(recording => recording.PercentileMicroseconds(percentile)));

    private static string[] Summarize(string side, double offered, List<LatencyRecording> rounds)
        =>
        [
            side,
            Format.Count(offered),
            Format.Count(Stats.Median(rounds.Select(recording => recording.AchievedRate))),
            .. Percentiles.Select(percentile => Format.Fixed(Median(rounds, percentile), 0)),
            Format.Fixed(Stats.Median(rounds.Select(recording => recording.MaxIssueLag.TotalMicroseconds)), 0),
            Stats.Median(rounds.Select(recording => recording.GcPausedFraction)).ToString("P1", CultureInfo.InvariantCulture),
            Format.Fixed(Stats.Median(rounds.Select(recording => recording.CollectionsPerSecond)), 1),
            Format.Fixed(Stats.Median(rounds.Select(recording => (double)recording.PoolThreads)), 0),
        ];
}
