using NexusOrleans.Benchmarks.Baseline;
using NexusOrleans.Benchmarks.Grains;
using NexusOrleans.Benchmarks.Hosting;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Calls;

/// <summary>
/// The in-process counters of the <c>calls</c> workload: CPU time, thread-pool work items, lock contentions, bytes
/// allocated and collections per call, for the runtime and the channel loop, runs interleaved. BenchmarkDotNet times
/// the calls; this pass says where the time goes.
/// </summary>
public static class CallCounters
{
    /// <summary>Measured runs per side and configuration; the median is quoted.</summary>
    public const int Runs = 5;

    /// <summary>Measures every configuration of <see cref="CallsBenchmarks"/>.</summary>
    public static async Task<Dictionary<(bool Runtime, int Targets, int Callers), PerOperation>> MeasureAsync(
        IReadOnlyList<int> targetValues, IReadOnlyList<int> callerValues)
    {
        var results = new Dictionary<(bool Runtime, int Targets, int Callers), PerOperation>();
        foreach (var targets in targetValues)
        {
            await using var silo = await BenchSilo.StartPingSiloAsync();
            var grains = Enumerable.Range(0, targets).Select(i => silo.Grains.GetGrain<IPingGrain>($"ping-{i}")).ToArray();
            await ClosedLoop.ActivateAllAsync(grains);
            var actors = Enumerable.Range(0, targets).Select(_ => new ChannelActor()).ToArray();
            foreach (var callers in callerValues)
            {
                var callsPerCaller = CallsBenchmarks.CallsPerInvocation / callers;
                await ClosedLoop.RunAsync(grains, callers, callsPerCaller);
                await ClosedLoop.RunAsync(actors, callers, callsPerCaller);
                var runtimeRuns = new List<PerOperation>();
                var baselineRuns = new List<PerOperation>();
                for (var run = 0; run < Runs; run++)
                {
                    runtimeRuns.Add(await MeasureAsync(() => ClosedLoop.RunAsync(grains, callers, callsPerCaller)));
                    baselineRuns.Add(await MeasureAsync(() => ClosedLoop.RunAsync(actors, callers, callsPerCaller)));
                }

                results[(true, targets, callers)] = PerOperation.Median(runtimeRuns);
                results[(false, targets, callers)] = PerOperation.Median(baselineRuns);
            }
        }

        return results;
    }

    private static async Task<PerOperation> MeasureAsync(Func<Task> workload)
    {
        var start = ProcessCounters.Read();
        await workload();
        return ProcessCounters.Read().Since(start, CallsBenchmarks.CallsPerInvocation);
    }
}
