using NexusOrleans.Runtime.Tests.Grains;

namespace NexusOrleans.Runtime.Tests;

/// <summary>Activations with no call for the collection age are deactivated; calls keep them alive.</summary>
public sealed class CollectionTests : SiloTest
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task IdleActivation_IsKeptUntilTheCollectionAge()
    {
        var silo = await StartSiloAsync();
        await silo.Grains.GetGrain<ILifecycleGrain>("k").WasActivated();

        Clock.Advance(14 * Minute);
        await Probe.Flush("k");

        Assert.False(Probe.Saw("deactivate:k:IdleCollection"));
        Assert.Equal(1, silo.Status.ActivationCount);
    }

    [Fact]
    public async Task IdleActivation_AfterDefaultFifteenMinutes_IsDeactivatedThroughItsHook()
    {
        var silo = await StartSiloAsync();
        await silo.Grains.GetGrain<ILifecycleGrain>("k").WasActivated();

        Clock.Advance(16 * Minute);

        await Probe.WaitFor("deactivate:k:IdleCollection");
        await Eventually(() => Task.FromResult(silo.Status.ActivationCount == 0), "the collected activation leaves the catalog");
    }

    [Fact]
    public async Task RegularCalls_KeepAnActivationAlive()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");

        for (var minute = 0; minute < 60; minute += 10)
        {
            await grain.WasActivated();
            Clock.Advance(10 * Minute);
        }

        await Probe.Flush("k");
        Assert.False(Probe.Saw("deactivate:k:IdleCollection"));
        Assert.Equal(1, Probe.Count("activate:k"));
    }

    [Fact]
    public async Task CollectionAge_IsConfigurable()
    {
        var silo = await StartSiloAsync(options => options.CollectionAge = 2 * Minute);
        await silo.Grains.GetGrain<ILifecycleGrain>("k").WasActivated();

        Clock.Advance(3 * Minute);

        await Probe.WaitFor("deactivate:k:IdleCollection");
    }

    [Fact]
    public async Task BusyActivation_IsNotCollectedWhileACallRuns()
    {
        var silo = await StartSiloAsync(options => options.CollectionAge = 2 * Minute);
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        var call = grain.Hold("long");
        await Probe.WaitFor("enter:long");

        Clock.Advance(5 * Minute);
        await Probe.Flush("k");
        Assert.False(Probe.Saw("deactivate:k:IdleCollection"));

        Probe.Open("long");
        await call.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CollectedGrain_IsActivatedAgainByTheNextCall()
    {
        var silo = await StartSiloAsync(options => options.CollectionAge = 2 * Minute);
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        await grain.WasActivated();
        Clock.Advance(3 * Minute);
        await Probe.WaitFor("deactivate:k:IdleCollection");

        Assert.True(await grain.WasActivated());
        Assert.Equal(2, Probe.Count("activate:k"));
    }
}
