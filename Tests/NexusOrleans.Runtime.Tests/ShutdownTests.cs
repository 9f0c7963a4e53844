using NexusOrleans.Runtime.Catalog;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing;

namespace NexusOrleans.Runtime.Tests;

/// <summary>Graceful shutdown: refuse new calls, finish accepted ones, deactivate every grain, within a deadline.</summary>
public sealed class ShutdownTests : SiloTest
{
    [Fact]
    public async Task Stop_WithACallInFlight_FinishesItAndRefusesNewCalls()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        var inFlight = grain.Hold("long");
        await Probe.WaitFor("enter:long");

        var stopping = silo.StopAsync();
        await WaitForPhase(silo, SiloPhase.Draining);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => silo.Grains.GetGrain<ILifecycleGrain>("other").WasActivated());
        Assert.False(stopping.IsCompleted);

        Probe.Open("long");
        await inFlight.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await stopping.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.True(Probe.Saw("deactivate:k:ShuttingDown"));
    }

    [Fact]
    public async Task Stop_RunsTheDeactivationHookOfEveryActivation()
    {
        var silo = await StartSiloAsync();
        var keys = Enumerable.Range(0, 100).Select(i => $"g{i}").ToArray();
        await Task.WhenAll(keys.Select(key => silo.Grains.GetGrain<ILifecycleGrain>(key).WasActivated()));

        await silo.StopAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.All(keys, key => Assert.True(Probe.Saw($"deactivate:{key}:ShuttingDown"), key));
        Assert.Equal(0, silo.Status.ActivationCount);
    }

    [Fact]
    public async Task Stop_WhenADeactivationHookHangs_EndsAtTheDeadline()
    {
        var silo = await StartSiloAsync(options => options.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("stuck");
        await grain.HoldDeactivation();

        var stopping = silo.StopAsync();
        await Probe.WaitFor("deactivate:stuck:ShuttingDown");
        Assert.False(stopping.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(10));

        await stopping.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(SiloPhase.Stopped, silo.Status.Phase);
        Assert.Contains(silo.Logs.Lines, line => line.EventId.Id == 2401 && line.Message.Contains("lifecycle/stuck", StringComparison.Ordinal));
        Probe.Open("deactivate:stuck");
    }

    [Fact]
    public async Task Stop_WhenATurnHangsPastTheDeadline_FailsTheCallsQueuedBehindIt()
    {
        var silo = await StartSiloAsync(options => options.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("stuck");
        var inFlight = grain.Hold("long");
        await Probe.WaitFor("enter:long");
        var queued = grain.WasActivated();
        await Probe.Flush("stuck");

        var stopping = silo.StopAsync();
        await WaitForPhase(silo, SiloPhase.Draining);
        Clock.Advance(TimeSpan.FromSeconds(10));

        await stopping.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => queued.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.Contains("lifecycle/stuck", error.Message, StringComparison.Ordinal);
        Probe.Open("long");
        await inFlight.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CallAfterStop_FailsWithSiloUnavailable()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        await grain.WasActivated();

        await silo.StopAsync();

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.WasActivated());
        Assert.Contains("shutting down", error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForPhase(TestSilo silo, SiloPhase phase)
        => await Eventually(() => Task.FromResult(silo.Status.Phase == phase), $"silo phase {phase}");
}
