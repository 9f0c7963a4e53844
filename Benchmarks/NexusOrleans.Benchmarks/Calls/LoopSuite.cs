using System.Diagnostics;
using System.Globalization;
using NexusOrleans.Benchmarks.Baseline;
using NexusOrleans.Benchmarks.Grains;
using NexusOrleans.Benchmarks.Hosting;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Calls;

/// <summary>
/// <c>loop runtime|baseline TARGETS CALLERS SECONDS</c>: the closed loop of the <c>calls</c> suite, one side only, for a
/// fixed time, printing calls/s and the per-call counters. It is what <c>Benchmarks/profile.sh</c> runs under a sampling
/// profiler: no BenchmarkDotNet, no second side, so the profile shows one call path.
/// </summary>
public static class LoopSuite
{
    /// <summary>Runs the loop; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [_, "runtime" or "baseline", var targetsText, var callersText, var secondsText]
            || !int.TryParse(targetsText, CultureInfo.InvariantCulture, out var targets) || targets < 1
            || !int.TryParse(callersText, CultureInfo.InvariantCulture, out var callers) || callers < 1
            || !double.TryParse(secondsText, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            await Console.Error.WriteLineAsync("usage: loop runtime|baseline TARGETS CALLERS SECONDS   (e.g. loop runtime 1000 1024 10)");
            return 64;
        }

        var runtime = args[1] == "runtime";
        await using var silo = runtime ? await BenchSilo.StartPingSiloAsync() : null;
        var grains = silo is null ? [] : Enumerable.Range(0, targets).Select(i => silo.Grains.GetGrain<IPingGrain>($"ping-{i}")).ToArray();
        var actors = runtime ? [] : Enumerable.Range(0, targets).Select(_ => new ChannelActor()).ToArray();
        var callsPerCaller = Math.Max(1, CallsBenchmarks.CallsPerInvocation / callers);
        Task Round() => runtime ? ClosedLoop.RunAsync(grains, callers, callsPerCaller) : ClosedLoop.RunAsync(actors, callers, callsPerCaller);

        if (runtime)
        {
            await ClosedLoop.ActivateAllAsync(grains);
        }

        var warmUpUntil = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * 2.0);
        while (Stopwatch.GetTimestamp() < warmUpUntil)
        {
            await Round();
        }

        Console.WriteLine($"loop: measuring {args[1]} for {seconds} s ({targets} targets, {callers} callers)");
        var start = ProcessCounters.Read();
        var until = start.Timestamp + (long)(Stopwatch.Frequency * seconds);
        var calls = 0L;
        while (Stopwatch.GetTimestamp() < until)
        {
            await Round();
            calls += (long)callsPerCaller * callers;
        }

        var measured = ProcessCounters.Read().Since(start, calls);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loop: {args[1]} {measured.OperationsPerSecond:N0} calls/s, CPU {measured.CpuNanoseconds:F0} ns/call, {measured.CoresBusy:F2} cores busy, " +
            $"{measured.WorkItems:F2} pool work items/call, {measured.AllocatedBytes:F0} B/call, {measured.Gen0PerMillion:F1} gen0 GCs per 1M calls"));
        return 0;
    }
}
