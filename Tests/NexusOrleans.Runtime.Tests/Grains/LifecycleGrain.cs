namespace NexusOrleans.Runtime.Tests.Grains;

public interface ILifecycleGrain : IGrain
{
    Task<bool> WasActivated();

    /// <summary>Records enter:{gate} and waits for the gate: holds the grain inside a call.</summary>
    Task Hold(string gate);

    Task Deactivate();

    Task StartTimer(TimeSpan dueTime, TimeSpan period, string gate);

    Task StopTimer();

    /// <summary>Makes OnDeactivateAsync wait for gate "deactivate:{key}".</summary>
    Task HoldDeactivation();
}

/// <summary>Records activation, deactivation and timer ticks; OnActivateAsync fails while the probe says so.</summary>
public sealed class LifecycleGrain(Probe probe) : Grain, ILifecycleGrain
{
    private bool _activated;
    private bool _holdDeactivation;
    private IGrainTimer? _timer;
    private int _ticks;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.RegisterContext(Key);
        probe.Record($"activate:{Key}");
        if (probe.HoldActivations)
        {
            await probe.Gate($"activate:{Key}");
        }

        if (Interlocked.Decrement(ref probe.FailActivations) >= 0)
        {
            throw new InvalidOperationException($"activation of {Key} refused by the test");
        }

        _activated = true;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{Key}:{reason.Code}");
        if (_holdDeactivation)
        {
            await probe.Gate($"deactivate:{Key}");
        }
    }

    public Task<bool> WasActivated() => Task.FromResult(_activated);

    public async Task Hold(string gate)
    {
        probe.Record($"enter:{gate}");
        await probe.Gate(gate);
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task StartTimer(TimeSpan dueTime, TimeSpan period, string gate)
    {
        _timer = RegisterGrainTimer(
            async _ =>
            {
                var tick = ++_ticks;
                probe.Record($"tick:{Key}:{tick}");
                await probe.Gate($"{gate}:{tick}");
                probe.Record($"tick-done:{Key}:{tick}");
            },
            dueTime,
            period);
        return Task.CompletedTask;
    }

    public Task StopTimer()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task HoldDeactivation()
    {
        _holdDeactivation = true;
        return Task.CompletedTask;
    }
}
