using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Benchmarks.Calls;
using NexusOrleans.Benchmarks.Grains;
using NexusOrleans.Benchmarks.Hosting;
using NexusOrleans.Benchmarks.Measurement;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Invocation;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing.Cluster;

namespace NexusOrleans.Benchmarks.Cluster;

/// <summary>
/// What a call to a grain on another silo costs against the same call to a grain on the calling silo, in the same run.
/// </summary>
/// <remarks>
/// Two silos in this process (in-memory storage, the trivial <see cref="PingGrain"/>), each with its silo-to-silo
/// endpoint on 127.0.0.1 and one fixed view of who owns which partition: silo A owns the even partitions, silo B the
/// odd ones. Every call is made from silo A's grain factory, so a local call takes the catalog's route cache and a
/// remote one is serialized, framed, written to the TCP connection to B, read, invoked there and answered the same way.
/// Both silos share the process and its two cores, so the remote figures include the receiving side's work too.
/// Two shapes, each run for the local grains and then for the remote ones, alternating rounds:
/// <list type="bullet">
/// <item>latency: one caller, one call at a time (median and p99 of the round trip);</item>
/// <item>throughput: 64 callers, each one call at a time, over 1,024 grains.</item>
/// </list>
/// </remarks>
public static class RemoteCallsSuite
{
    private const int Grains = 1024;
    private const int Callers = 64;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="rounds"/> rounds and prints the summary table.</summary>
    public static async Task<int> RunAsync(int rounds)
    {
        var map = new ClusterMap(partitionCount: 16);
        var a = ClusterTestServices.NextAddress();
        var b = ClusterTestServices.NextAddress();
        for (var partition = 0; partition < map.PartitionCount; partition++)
        {
            map.Assign(partition, partition % 2 == 0 ? a : b);
        }

        await using var siloA = await StartAsync(map, a);
        await using var siloB = await StartAsync(map, b);
        var local = Targets(siloA.Grains, map, a);
        var remote = Targets(siloA.Grains, map, b);
        await ClosedLoop.ActivateAllAsync(local);
        await ClosedLoop.ActivateAllAsync(remote);

        Console.WriteLine($"cluster calls: {rounds} round(s); two silos in one process on 127.0.0.1, calls from silo A; {Machine.Describe()}");
        var results = new List<(Shape Local, Shape Remote)>();
        for (var round = 1; round <= rounds; round++)
        {
            // Warm both paths (JIT, connection, pools) before the first measured round.
            if (round == 1)
            {
                await MeasureAsync(local, "warm-up local");
                await MeasureAsync(remote, "warm-up remote");
            }

            var l = await MeasureAsync(local, $"round {round}/{rounds} local ");
            var r = await MeasureAsync(remote, $"round {round}/{rounds} remote");
            results.Add((l, r));
        }

        Report(results);
        return 0;
    }

    private static async Task<BenchSilo> StartAsync(ClusterMap map, SiloAddress address)
    {
        var silo = await BenchSilo.StartAsync(runtime =>
        {
            runtime.AddGrain<PingGrain>().UseInMemoryStorage().UseCluster(options => options.Listen(address));
            runtime.Services.AddInMemoryPartitionDirectory(map);
        });
        return silo;
    }

    private static IPingGrain[] Targets(IGrainFactory factory, ClusterMap map, SiloAddress owner)
    {
        var owned = new List<IPingGrain>(Grains);
        for (var i = 0; owned.Count < Grains; i++)
        {
            var grain = factory.GetGrain<IPingGrain>($"ping{i}");
            if (map.Snapshot()[map.PartitionOf(((GrainReference)grain).GrainId)].Owner == owner)
            {
                owned.Add(grain);
            }
        }

        return [.. owned];
    }

    private static async Task<Shape> MeasureAsync(IPingGrain[] grains, string label)
    {
        // Latency: one caller, back to back.
        var samples = new List<double>(200_000);
        var until = Stopwatch.GetTimestamp() + (long)(Window.TotalSeconds * Stopwatch.Frequency);
        var i = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            var start = Stopwatch.GetTimestamp();
            await grains[i++ % grains.Length].Ping(i);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        samples.Sort();
        var p50 = samples[samples.Count / 2];
        var p99 = samples[(int)(samples.Count * 0.99)];

        // Throughput: 64 callers for the same window.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var calls = 0L;
        var stop = Stopwatch.GetTimestamp() + (long)(Window.TotalSeconds * Stopwatch.Frequency);
        var began = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
        {
            var target = caller;
            var mine = 0L;
            while (Stopwatch.GetTimestamp() < stop)
            {
                await grains[target % grains.Length].Ping(target);
                target += Callers;
                mine++;
            }

            Interlocked.Add(ref calls, mine);
        }));
        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds;
        var shape = new Shape(p50, p99, calls / seconds, cpu / calls);
        Console.Error.WriteLine($"  {label}: one caller p50 {p50:F1} µs, p99 {p99:F1} µs; {Callers} callers {shape.CallsPerSecond:N0} calls/s, {shape.CpuMicroseconds:F1} µs CPU per call");
        return shape;
    }

    private static void Report(List<(Shape Local, Shape Remote)> results)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        Console.WriteLine();
        Console.WriteLine("| round | local p50 / p99 µs | remote p50 / p99 µs | local calls/s (64 callers) | remote calls/s | remote ÷ local throughput | CPU µs per call local / remote |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        for (var round = 0; round < results.Count; round++)
        {
            var (l, r) = results[round];
            Console.WriteLine($"| {round + 1} | {l.P50:F1} / {l.P99:F1} | {r.P50:F1} / {r.P99:F1} | {l.CallsPerSecond:N0} | {r.CallsPerSecond:N0} | {r.CallsPerSecond / l.CallsPerSecond:F3}× | {l.CpuMicroseconds:F1} / {r.CpuMicroseconds:F1} |");
        }

        Console.WriteLine();
        Console.WriteLine("| figure (median of rounds) | local (baseline) | remote | ratio |");
        Console.WriteLine("| --- | --- | --- | --- |");
        var lp50 = Median(results.Select(x => x.Local.P50));
        var rp50 = Median(results.Select(x => x.Remote.P50));
        var lp99 = Median(results.Select(x => x.Local.P99));
        var rp99 = Median(results.Select(x => x.Remote.P99));
        var lt = Median(results.Select(x => x.Local.CallsPerSecond));
        var rt = Median(results.Select(x => x.Remote.CallsPerSecond));
        var lc = Median(results.Select(x => x.Local.CpuMicroseconds));
        var rc = Median(results.Select(x => x.Remote.CpuMicroseconds));
        Console.WriteLine($"| round trip p50, one caller | {lp50:F1} µs | {rp50:F1} µs | {rp50 / lp50:F1}× |");
        Console.WriteLine($"| round trip p99, one caller | {lp99:F1} µs | {rp99:F1} µs | {rp99 / lp99:F1}× |");
        Console.WriteLine($"| calls/s, {Callers} callers | {lt:N0} | {rt:N0} | {rt / lt:F3}× |");
        Console.WriteLine($"| CPU per call (both silos) | {lc:F1} µs | {rc:F1} µs | {rc / lc:F1}× |");
    }

    private sealed record Shape(double P50, double P99, double CallsPerSecond, double CpuMicroseconds);
}
