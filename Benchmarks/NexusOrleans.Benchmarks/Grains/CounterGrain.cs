using NexusOrleans.Runtime;

namespace NexusOrleans.Benchmarks.Grains;

/// <summary>A grain whose every call is one durable state write.</summary>
public interface ICounterGrain : IGrain
{
    /// <summary>Increments the counter and returns once the new value is durable.</summary>
    Task Increment();
}

/// <summary>The state of <see cref="CounterGrain"/>: one small row.</summary>
public sealed class CounterState
{
    /// <summary>Writes acknowledged so far.</summary>
    public int Count { get; set; }
}

/// <summary>Writes its state on every call, so calls per second are durable writes per second.</summary>
public sealed class CounterGrain : Grain<CounterState>, ICounterGrain
{
    /// <inheritdoc />
    public async Task Increment()
    {
        State.Count++;
        await WriteStateAsync();
    }
}
