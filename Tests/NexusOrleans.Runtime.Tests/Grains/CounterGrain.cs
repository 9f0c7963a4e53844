using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Runtime.Tests.Grains;

public interface ICounterGrain : IGrain
{
    Task<int> Increment();

    [ReadOnly]
    Task<int> Get();

    Task<string?> ETag();

    Task Clear();

    Task Deactivate();

    /// <summary>The value to write in OnDeactivateAsync (0: write nothing).</summary>
    Task WriteOnDeactivate(int value);
}

public sealed class CounterState
{
    public int Value { get; set; }
}

/// <summary>A stateful grain: each increment is written before it returns.</summary>
public sealed class CounterGrain(Probe probe) : Grain<CounterState>, ICounterGrain
{
    private int _writeOnDeactivate;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.RegisterContext(Key);
        probe.Record($"activate:{Key}:{State.Value}");
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_writeOnDeactivate != 0)
        {
            State.Value = _writeOnDeactivate;
            await WriteStateAsync();
        }

        probe.Record($"deactivate:{Key}:{reason.Code}");
    }

    public async Task<int> Increment()
    {
        State.Value++;
        await WriteStateAsync();
        return State.Value;
    }

    public Task<int> Get() => Task.FromResult(State.Value);

    public Task<string?> ETag() => Task.FromResult(PersistentState.ETag);

    public Task Clear() => ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task WriteOnDeactivate(int value)
    {
        _writeOnDeactivate = value;
        return Task.CompletedTask;
    }
}
