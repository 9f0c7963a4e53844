using NexusOrleans.Runtime;

namespace NexusOrleans.Benchmarks.Grains;

/// <summary>The trivial call every throughput and latency figure is made of.</summary>
public interface IPingGrain : IGrain
{
    /// <summary>Returns <paramref name="x"/> + 1.</summary>
    Task<int> Ping(int x);
}

/// <summary>Stateless: the call costs only the runtime's own path (routing, mailbox, turn, promise).</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    /// <inheritdoc />
    public Task<int> Ping(int x) => Task.FromResult(x + 1);
}
