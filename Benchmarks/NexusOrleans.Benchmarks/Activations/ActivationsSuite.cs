using System.Diagnostics;
using System.Globalization;
using NexusOrleans.Benchmarks.Baseline;
using NexusOrleans.Benchmarks.Grains;
using NexusOrleans.Benchmarks.Hosting;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Activations;

/// <summary>
/// Suite <c>activations</c>: activates <see cref="Count"/> distinct stateless grains with one call each and measures the
/// wall time and the managed memory each idle activation retains; the baseline creates as many channel actors and sends
/// each one message. Every measurement runs in a fresh process; runtime and baseline alternate, <see cref="Runs"/> each.
/// </summary>
/// <remarks>
/// Memory is <c>GC.GetTotalMemory(forceFullCollection: true)</c> after minus before, divided by <see cref="Count"/>.
/// "Before" is taken on a started silo (or an empty baseline) that already served <see cref="WarmUpTargets"/> targets, so
/// the JIT, the host and the first-use allocations are outside the difference. Everything measured is alive while
/// "after" is taken: the silo and its activations (idle collection only starts after 15 minutes without a call), or the
/// actors in their array. The grain references used for the calls are dropped, as a client would drop them.
/// </remarks>
public static class ActivationsSuite
{
    /// <summary>Grains (actors) created per measurement.</summary>
    public const int Count = 1_000_000;

    /// <summary>Fresh-process measurements per side; the median is quoted.</summary>
    public const int Runs = 3;

    /// <summary>Calls in flight while activating.</summary>
    public const int Concurrency = 1000;

    /// <summary>Targets activated before the "before" snapshot.</summary>
    public const int WarmUpTargets = 1000;

    /// <summary>The target: managed memory per idle activation.</summary>
    public const double TargetBytesPerActivation = 1024;

    /// <summary>Runs the suite in child processes; returns the process exit code.</summary>
    public static async Task<int> RunAsync()
    {
        var runtime = new List<ActivationsResult>();
        var baseline = new List<ActivationsResult>();
        for (var run = 0; run < Runs; run++)
        {
            Console.WriteLine($"activations: run {run + 1} of {Runs}, runtime...");
            runtime.Add(await ChildProcess.RunAsync<ActivationsResult>("activations", "--child", "runtime"));
            Console.WriteLine($"activations: run {run + 1} of {Runs}, channel actors...");
            baseline.Add(await ChildProcess.RunAsync<ActivationsResult>("activations", "--child", "baseline"));
        }

        var runtimeBytes = Stats.Median(runtime.Select(result => result.BytesPerTarget));
        var baselineBytes = Stats.Median(baseline.Select(result => result.BytesPerTarget));
        var runtimeTime = Stats.Median(runtime.Select(result => result.MicrosecondsPerTarget));
        var baselineTime = Stats.Median(baseline.Select(result => result.MicrosecondsPerTarget));

        Console.WriteLine();
        Console.WriteLine($"## activations: {Count:N0} grains activated with one call each");
        Console.WriteLine();
        Console.WriteLine($"Machine: {Machine.Describe()}");
        Console.WriteLine($"Median of {Runs} runs per side, each in a fresh process, sides alternating; {Concurrency:N0} calls in flight; " +
                          "memory = GC.GetTotalMemory(true) after − before, everything alive.");
        Console.WriteLine();
        Console.Write(new MarkdownTable("side", "wall s", "µs per activation", "activations/s", "managed bytes per idle activation", "working set bytes per activation", "runs (bytes per activation)")
            .Row(Row("runtime", runtime))
            .Row(Row("channel actors", baseline))
            .Row("ratio runtime ÷ channel actors", Format.Ratio(Stats.Median(runtime.Select(r => r.Seconds)) / Stats.Median(baseline.Select(r => r.Seconds))),
                Format.Ratio(runtimeTime / baselineTime), "", Format.Ratio(runtimeBytes / baselineBytes), "", ""));
        Console.WriteLine();
        Console.Write(new MarkdownTable("target", "measured", "verdict")
            .Row("≤ 1 KiB managed memory per idle activation", $"{Format.Fixed(runtimeBytes, 0)} B (channel actor {Format.Fixed(baselineBytes, 0)} B)",
                Format.Verdict(runtimeBytes <= TargetBytesPerActivation)));
        return 0;
    }

    /// <summary>One measurement, in this (fresh) process.</summary>
    public static async Task<int> RunChildAsync(string side)
    {
        var result = side switch
        {
            "runtime" => await MeasureRuntimeAsync(),
            "baseline" => await MeasureBaselineAsync(),
            _ => throw new ArgumentException($"Unknown side '{side}'; use runtime or baseline.", nameof(side)),
        };
        ChildProcess.Report(result);
        return 0;
    }

    private static async Task<ActivationsResult> MeasureRuntimeAsync()
    {
        await using var silo = await BenchSilo.StartPingSiloAsync();
        var factory = silo.Grains;
        await ForEachAsync(WarmUpTargets, i => factory.GetGrain<IPingGrain>("warm-" + i.ToString(CultureInfo.InvariantCulture)).Ping(i));

        var before = Snapshot();
        var started = Stopwatch.GetTimestamp();
        await ForEachAsync(Count, i => factory.GetGrain<IPingGrain>("g-" + i.ToString(CultureInfo.InvariantCulture)).Ping(i));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = Snapshot();

        var expected = Count + WarmUpTargets;
        if (silo.Status.ActivationCount != expected)
        {
            throw new InvalidOperationException($"Expected {expected:N0} live activations while measuring, found {silo.Status.ActivationCount:N0}.");
        }

        return ActivationsResult.From(elapsed, before, after);
    }

    private static async Task<ActivationsResult> MeasureBaselineAsync()
    {
        var warm = new ChannelActor[WarmUpTargets];
        await ForEachAsync(WarmUpTargets, i => (warm[i] = new ChannelActor()).Ping(i));

        var before = Snapshot();
        var started = Stopwatch.GetTimestamp();
        var actors = new ChannelActor[Count];
        await ForEachAsync(Count, i => (actors[i] = new ChannelActor()).Ping(i));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = Snapshot();

        if (actors.Sum(actor => actor.Handled) != Count)
        {
            throw new InvalidOperationException("Not every channel actor handled its message.");
        }

        GC.KeepAlive(warm);
        GC.KeepAlive(actors);
        return ActivationsResult.From(elapsed, before, after);
    }

    /// <summary>Runs <paramref name="call"/> for 0..count-1 with <see cref="Concurrency"/> calls in flight.</summary>
    private static Task ForEachAsync(int count, Func<int, Task<int>> call)
        => Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async worker =>
        {
            for (var i = worker; i < count; i += Concurrency)
            {
                await call(i);
            }
        }));

    private static (long Managed, long WorkingSet) Snapshot()
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        return (managed, Environment.WorkingSet);
    }

    private static string[] Row(string side, List<ActivationsResult> results) =>
    [
        side,
        Format.Fixed(Stats.Median(results.Select(result => result.Seconds)), 2),
        Format.Fixed(Stats.Median(results.Select(result => result.MicrosecondsPerTarget)), 2),
        Format.Count(Stats.Median(results.Select(result => Count / result.Seconds))),
        Format.Fixed(Stats.Median(results.Select(result => result.BytesPerTarget)), 0),
        Format.Fixed(Stats.Median(results.Select(result => result.WorkingSetBytesPerTarget)), 0),
        string.Join(", ", results.Select(result => Format.Fixed(result.BytesPerTarget, 0))),
    ];
}

/// <summary>What one child measured.</summary>
public sealed record ActivationsResult(double Seconds, long ManagedBefore, long ManagedAfter, long WorkingSetBefore, long WorkingSetAfter)
{
    /// <summary>Wall time per activation.</summary>
    public double MicrosecondsPerTarget => Seconds * 1e6 / ActivationsSuite.Count;

    /// <summary>Managed memory retained per activation.</summary>
    public double BytesPerTarget => (double)(ManagedAfter - ManagedBefore) / ActivationsSuite.Count;

    /// <summary>Process working set growth per activation (includes the collector's free space).</summary>
    public double WorkingSetBytesPerTarget => (double)(WorkingSetAfter - WorkingSetBefore) / ActivationsSuite.Count;

    /// <summary>Builds a result from the two snapshots.</summary>
    public static ActivationsResult From(TimeSpan elapsed, (long Managed, long WorkingSet) before, (long Managed, long WorkingSet) after)
        => new(elapsed.TotalSeconds, before.Managed, after.Managed, before.WorkingSet, after.WorkingSet);
}
