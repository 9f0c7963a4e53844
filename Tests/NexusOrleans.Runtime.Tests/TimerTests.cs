using NexusOrleans.Runtime.Tests.Grains;

namespace NexusOrleans.Runtime.Tests;

/// <summary>Timer ticks are turns, never overlap, die with the activation and do not keep it alive.</summary>
public sealed class TimerTests : SiloTest
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task TimerTick_DueWhileACallRuns_WaitsForTheCall()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        Probe.Open("g:1");
        await grain.StartTimer(Minute, Minute, "g");
        var call = grain.Hold("call");
        await Probe.WaitFor("enter:call");

        Clock.Advance(Minute);
        await Probe.Flush("k");
        Assert.False(Probe.Saw("tick:k:1"));

        Probe.Open("call");
        await call.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await Probe.WaitFor("tick-done:k:1");
    }

    [Fact]
    public async Task TimerTicks_NextTickIsArmedOnlyAfterTheTickCompletes()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        await grain.StartTimer(Minute, Minute, "g");

        Clock.Advance(Minute);
        await Probe.WaitFor("tick:k:1");
        Clock.Advance(5 * Minute);
        Probe.Open("g:1");
        await Probe.WaitFor("tick-done:k:1");
        var tickOneDoneAt = Clock.GetUtcNow();

        Probe.Open("g:2");
        var tickTwo = Probe.WaitFor("tick:k:2");
        for (var step = 0; step < 10 && !tickTwo.IsCompleted; step++)
        {
            await Probe.Flush("k");
            Clock.Advance(TimeSpan.FromSeconds(30));
        }

        await tickTwo;
        Assert.True(Probe.Events.Count(e => e.StartsWith("tick:k:", StringComparison.Ordinal)) == 2);
        Assert.True(Clock.GetUtcNow() >= tickOneDoneAt + Minute, "the second tick came less than a period after the first completed");
    }

    [Fact]
    public async Task Timer_OfADeactivatedGrain_IsDisposedAndNeverReactivatesIt()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        var timersBefore = Clock.ActiveTimers;
        await grain.StartTimer(Minute, Minute, "g");
        Assert.Equal(timersBefore + 1, Clock.ActiveTimers);

        await grain.Deactivate();
        await Probe.WaitFor("deactivate:k:ApplicationRequested");
        await Probe.Flush("k");

        Assert.Equal(timersBefore, Clock.ActiveTimers);
        Clock.Advance(5 * Minute);
        Assert.Equal(0, silo.Status.ActivationCount);
        Assert.Equal(1, Probe.Count("activate:k"));
    }

    [Fact]
    public async Task Timer_DoesNotKeepAnIdleActivationAlive()
    {
        var silo = await StartSiloAsync(options => options.CollectionAge = 5 * Minute);
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        for (var tick = 1; tick <= 20; tick++)
        {
            Probe.Open($"g:{tick}");
        }

        await grain.StartTimer(Minute, Minute, "g");
        var collected = Probe.WaitFor("deactivate:k:IdleCollection");
        for (var minute = 1; minute <= 10 && !collected.IsCompleted; minute++)
        {
            Clock.Advance(Minute);
            await Task.WhenAny(Probe.WaitFor($"tick-done:k:{minute}"), collected);
        }

        await collected;
        Assert.True(Probe.Saw("tick-done:k:4"), "the timer should have ticked while the grain was idle");
    }

    [Fact]
    public async Task Timer_DisposedByTheGrain_StopsTicking()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        Probe.Open("g:1");
        var timersBefore = Clock.ActiveTimers;
        await grain.StartTimer(Minute, Minute, "g");
        Clock.Advance(Minute);
        await Probe.WaitFor("tick-done:k:1");

        await grain.StopTimer();

        Assert.Equal(timersBefore, Clock.ActiveTimers);
    }
}
