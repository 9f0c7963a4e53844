using NexusOrleans.Runtime.Tests.Grains;

namespace NexusOrleans.Runtime.Tests;

/// <summary>One activation per key; one turn at a time unless both calls are [ReadOnly]; a throw fails only its call.</summary>
public sealed class TurnTests : SiloTest
{
    [Fact]
    public async Task Call_WhileAnotherCallAwaits_WaitsForItToComplete()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("t");
        var first = grain.Exclusive("a");
        await Probe.WaitFor("enter:a");

        Probe.Open("b");
        var second = grain.Exclusive("b");
        await Probe.Flush("t");
        Assert.False(Probe.Saw("enter:b"));

        Probe.Open("a");
        await Task.WhenAll(first, second).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(["enter:a", "exit:a", "enter:b", "exit:b"], Probe.Events.Where(e => e.StartsWith("e", StringComparison.Ordinal)));
        Assert.Equal(1, await grain.MaxInside());
    }

    [Fact]
    public async Task ReadOnlyCalls_WhileOneAwaits_RunTogether()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("t");

        var first = grain.Shared("r1");
        var second = grain.Shared("r2");
        await Probe.WaitFor("enter:r1");
        await Probe.WaitFor("enter:r2");

        Probe.Open("r1");
        Probe.Open("r2");
        await Task.WhenAll(first, second).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(2, await grain.MaxInside());
    }

    [Fact]
    public async Task ExclusiveCall_WhileReadOnlyCallRuns_WaitsAndHoldsBackLaterReadOnlyCalls()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("t");
        var reader = grain.Shared("r1");
        await Probe.WaitFor("enter:r1");

        Probe.Open("w");
        Probe.Open("r2");
        var writer = grain.Exclusive("w");
        var laterReader = grain.Shared("r2");
        await Probe.Flush("t");
        Assert.False(Probe.Saw("enter:w"));
        Assert.False(Probe.Saw("enter:r2"));

        Probe.Open("r1");
        await Task.WhenAll(reader, writer, laterReader).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var order = Probe.Events.Where(e => e.StartsWith("e", StringComparison.Ordinal)).ToList();
        Assert.True(order.IndexOf("exit:r1") < order.IndexOf("enter:w"), string.Join(", ", order));
        Assert.True(order.IndexOf("exit:w") < order.IndexOf("enter:r2"), string.Join(", ", order));
    }

    [Fact]
    public async Task ReadOnlyCall_WhileExclusiveCallRuns_Waits()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("t");
        var writer = grain.Exclusive("w");
        await Probe.WaitFor("enter:w");

        Probe.Open("r");
        var reader = grain.Shared("r");
        await Probe.Flush("t");
        Assert.False(Probe.Saw("enter:r"));

        Probe.Open("w");
        await Task.WhenAll(writer, reader).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(1, await grain.MaxInside());
    }

    [Fact]
    public async Task InterleavedReadOnlyCalls_NeverRunOnTwoThreadsAtOnce()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("t");

        var overlaps = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => grain.SharedBusy())).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(true, overlaps);
    }

    [Fact]
    public async Task Call_ThatThrows_FailsOnlyThatCallWithTheOriginalException()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("t");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("boom"));

        Assert.Equal("boom", error.Message);
        Assert.Equal(42, await grain.Ping());
        Assert.Equal(1, Probe.Count("activate:t"));
    }

    [Fact]
    public async Task ConcurrentFirstCalls_ToOneKey_ShareOneActivation()
    {
        var silo = await StartSiloAsync();

        var echoes = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => silo.Grains.GetGrain<ITurnGrain>("t").Echo(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))))
            .WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), echoes);
        Assert.Equal(1, Probe.Count("activate:t"));
        Assert.Equal(1, silo.Status.ActivationCount);
    }

    [Fact]
    public async Task Grains_WithDifferentKeys_DoNotWaitForEachOther()
    {
        var silo = await StartSiloAsync();
        var blocked = silo.Grains.GetGrain<ITurnGrain>("a").Exclusive("held");
        await Probe.WaitFor("enter:held");

        Assert.Equal(42, await silo.Grains.GetGrain<ITurnGrain>("b").Ping().WaitAsync(Timeout, TestContext.Current.CancellationToken));

        Probe.Open("held");
        await blocked.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }
}
