using BenchmarkDotNet.Attributes;
using NexusOrleans.Benchmarks.Baseline;
using NexusOrleans.Benchmarks.Grains;
using NexusOrleans.Benchmarks.Hosting;

namespace NexusOrleans.Benchmarks.Calls;

/// <summary>
/// Throughput of a trivial grain call on a warmed-up silo against a bare channel-per-actor loop, closed loop.
/// One invocation is <see cref="CallsPerInvocation"/> awaited calls spread over <see cref="Callers"/> concurrent callers
/// and <see cref="Targets"/> grains (or actors), so BenchmarkDotNet's time per operation is the time per call.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its generated runner from this class.</remarks>
public class CallsBenchmarks
{
    /// <summary>Calls per invocation; a multiple of every <see cref="Callers"/> value.</summary>
    public const int CallsPerInvocation = 1 << 18;

    private BenchSilo? _silo;
    private IPingGrain[] _grains = [];
    private ChannelActor[] _actors = [];

    /// <summary>The values of <see cref="Targets"/>.</summary>
    public static IReadOnlyList<int> TargetValues { get; } = [64, 1000];

    /// <summary>The values of <see cref="Callers"/>: from fewer callers than cores can keep busy to many per grain.</summary>
    public static IReadOnlyList<int> CallerValues { get; } = [16, 64, 256, 1024, 4096];

    /// <summary>Distinct grains (or actors) the calls go to.</summary>
    [ParamsSource(nameof(TargetValues))]
    public int Targets { get; set; }

    /// <summary>Concurrent callers, each with one call outstanding.</summary>
    [ParamsSource(nameof(CallerValues))]
    public int Callers { get; set; }

    /// <summary>Starts a silo, activates every grain and runs the workload once so the call path is compiled.</summary>
    [GlobalSetup(Target = nameof(Runtime))]
    public void SetUpRuntime()
    {
        _silo = BenchSilo.StartPingSiloAsync().GetAwaiter().GetResult();
        _grains = Enumerable.Range(0, Targets).Select(i => _silo.Grains.GetGrain<IPingGrain>($"ping-{i}")).ToArray();
        ClosedLoop.ActivateAllAsync(_grains).GetAwaiter().GetResult();
        Runtime().GetAwaiter().GetResult();
    }

    /// <summary>Creates the actors and runs the workload once.</summary>
    [GlobalSetup(Target = nameof(ChannelLoop))]
    public void SetUpChannelLoop()
    {
        _actors = Enumerable.Range(0, Targets).Select(_ => new ChannelActor()).ToArray();
        ChannelLoop().GetAwaiter().GetResult();
    }

    /// <summary>Stops the silo.</summary>
    [GlobalCleanup(Target = nameof(Runtime))]
    public void CleanUpRuntime() => _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The baseline: channel-per-actor loop.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvocation)]
    public Task ChannelLoop() => ClosedLoop.RunAsync(_actors, Callers, CallsPerInvocation / Callers);

    /// <summary>The runtime: <c>IPingGrain.Ping</c> through generated proxies and activations.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerInvocation)]
    public Task Runtime() => ClosedLoop.RunAsync(_grains, Callers, CallsPerInvocation / Callers);
}
