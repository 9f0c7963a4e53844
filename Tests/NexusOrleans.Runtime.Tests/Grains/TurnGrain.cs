using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Runtime.Tests.Grains;

public interface ITurnGrain : IGrain
{
    /// <summary>Records enter:{tag}, waits for gate {tag}, records exit:{tag}.</summary>
    Task Exclusive(string tag);

    /// <summary>Like <see cref="Exclusive"/> but read-only.</summary>
    [ReadOnly]
    Task Shared(string tag);

    /// <summary>Busy read-only work that detects two threads inside the grain at once.</summary>
    [ReadOnly]
    Task<bool> SharedBusy();

    Task<int> MaxInside();

    Task<int> Ping();

    Task Fail(string message);

    Task<string> Echo(string text);

    Task<bool> SawOverlap();
}

/// <summary>Records how calls enter and leave, to check turn rules.</summary>
public sealed class TurnGrain(Probe probe) : Grain, ITurnGrain
{
    private int _inside;
    private int _maxInside;
    private int _threadsInside;
    private bool _overlap;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.RegisterContext(Key);
        probe.Record($"activate:{Key}");
        return Task.CompletedTask;
    }

    public Task Exclusive(string tag) => Hold(tag);

    public Task Shared(string tag) => Hold(tag);

    public async Task<bool> SharedBusy()
    {
        for (var i = 0; i < 20; i++)
        {
            if (Interlocked.Increment(ref _threadsInside) > 1)
            {
                _overlap = true;
            }

            Thread.SpinWait(2_000);
            Interlocked.Decrement(ref _threadsInside);
            await Task.Yield();
        }

        return _overlap;
    }

    public Task<int> MaxInside() => Task.FromResult(_maxInside);

    public Task<int> Ping() => Task.FromResult(42);

    public Task Fail(string message) => throw new InvalidOperationException(message);

    public async Task<string> Echo(string text)
    {
        await Task.Yield();
        return text;
    }

    public Task<bool> SawOverlap() => Task.FromResult(_overlap);

    private async Task Hold(string tag)
    {
        _maxInside = Math.Max(_maxInside, ++_inside);
        probe.Record($"enter:{tag}");
        try
        {
            await probe.Gate(tag);
        }
        finally
        {
            _inside--;
            probe.Record($"exit:{tag}");
        }
    }
}
