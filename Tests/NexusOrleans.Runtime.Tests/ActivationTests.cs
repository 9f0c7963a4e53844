using NexusOrleans.Runtime.Tests.Grains;

namespace NexusOrleans.Runtime.Tests;

/// <summary>The first call activates the grain and runs its hook first; a failed activation leaves nothing half-active.</summary>
public sealed class ActivationTests : SiloTest
{
    [Fact]
    public async Task FirstCall_RunsActivationHookBeforeTheCall()
    {
        var silo = await StartSiloAsync();

        Assert.True(await silo.Grains.GetGrain<ILifecycleGrain>("k").WasActivated());
        Assert.Equal(["activate:k"], Probe.Events);
    }

    [Fact]
    public async Task ActivationHook_ThatThrows_FailsTheCallWithAnErrorNamingTheGrain()
    {
        var silo = await StartSiloAsync();
        Probe.FailActivations = 1;

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => silo.Grains.GetGrain<ILifecycleGrain>("k").WasActivated());

        Assert.Contains("lifecycle/k", error.Message, StringComparison.Ordinal);
        Assert.Contains("OnActivateAsync", error.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal("activation of k refused by the test", inner.Message);
    }

    [Fact]
    public async Task ActivationHook_ThatThrows_LeavesNoActivationAndTheNextCallTriesAgain()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        Probe.FailActivations = 1;
        await Assert.ThrowsAsync<GrainActivationException>(() => grain.WasActivated());

        Assert.Equal(0, silo.Status.ActivationCount);
        Assert.True(await grain.WasActivated());
        Assert.Equal(2, Probe.Count("activate:k"));
        Assert.DoesNotContain(Probe.Events, e => e.StartsWith("deactivate:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActivationHook_ThatThrows_FailsEveryCallQueuedBehindIt()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");
        Probe.FailActivations = 1;
        Probe.HoldActivations = true;

        var calls = Enumerable.Range(0, 5).Select(_ => grain.WasActivated()).ToArray();
        await Probe.WaitFor("activate:k");
        await Probe.Flush("k");
        Probe.Open("activate:k");

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<GrainActivationException>(() => call.WaitAsync(Timeout, TestContext.Current.CancellationToken));
            Assert.Contains("lifecycle/k", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DeactivateOnIdle_DeactivatesAfterTheCallAndTheNextCallActivatesAgain()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ILifecycleGrain>("k");

        await grain.Deactivate();
        await Probe.WaitFor("deactivate:k:ApplicationRequested");
        Assert.True(await grain.WasActivated());

        Assert.Equal(2, Probe.Count("activate:k"));
    }
}
