using NexusOrleans.Runtime.Catalog;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing.Cluster;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>Calls between silos: results and exceptions cross, redirects are followed, a dead peer fails calls promptly.</summary>
public sealed class ClusterCallTests : ClusterTest
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RemoteCall_GrainOwnedByOtherSilo_RunsThereAndReturnsItsResult()
    {
        var (a, b) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        var siloB = await StartMemberAsync(b);
        var grain = siloA.Grains.GetGrain<IRemoteGrain>("r1");
        var note = new RemoteNote("hi", [1, 2, 3], [0, 7, 255], UInt128.MaxValue, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));

        var echoed = await grain.Echo(note);

        Assert.Equal("hi back", echoed.Text);
        Assert.Equal(note.Numbers, echoed.Numbers);
        Assert.Equal(note.Bytes, echoed.Bytes);
        Assert.Equal(note.Amount, echoed.Amount);
        Assert.Equal(note.At, echoed.At);
        Assert.Equal(b.ToString(), await grain.Where());
        Assert.Equal(0, siloA.Status.ActivationCount);
        Assert.Equal(1, siloB.Status.ActivationCount);
    }

    [Fact]
    public async Task RemoteCall_GrainThrowsArgumentException_CallerGetsArgumentExceptionWithItsMessage()
    {
        var (a, b) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        await StartMemberAsync(b);

        var thrown = await Assert.ThrowsAsync<ArgumentException>(() => siloA.Grains.GetGrain<IRemoteGrain>("r1").Fail("argument", "amount must be positive"));

        Assert.Equal("amount must be positive", thrown.Message);
    }

    [Fact]
    public async Task RemoteCall_GrainThrowsUnknownException_CallerGetsRemoteGrainCallExceptionNamingIt()
    {
        var (a, b) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        await StartMemberAsync(b);

        var thrown = await Assert.ThrowsAsync<RemoteGrainCallException>(() => siloA.Grains.GetGrain<IRemoteGrain>("r1").Fail("format", "bad digits"));

        Assert.Equal(typeof(FormatException).FullName, thrown.RemoteExceptionType);
        Assert.Equal("bad digits", thrown.RemoteMessage);
    }

    [Fact]
    public async Task RemoteCall_GrainCallsGrainOwnedByCaller_NestedCallCrossesBack()
    {
        var (a, b) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var counterPartition = Map.PartitionOf(new GrainId(GrainClass.NameOf(typeof(CounterGrain)), "c1"));
        Map.Assign(counterPartition, a);
        var remoteKey = Enumerable.Range(0, 100).Select(i => "r" + i)
            .First(key => Map.PartitionOf(new GrainId(GrainClass.NameOf(typeof(RemoteGrain)), key)) != counterPartition);
        var siloA = await StartMemberAsync(a);
        var siloB = await StartMemberAsync(b);

        Assert.Equal(1, await siloA.Grains.GetGrain<IRemoteGrain>(remoteKey).CallOther("c1"));
        Assert.Equal(2, await siloB.Grains.GetGrain<ICounterGrain>("c1").Increment());
        Assert.Equal(1, siloA.Status.ActivationCount);
        Assert.Equal(1, siloB.Status.ActivationCount);
    }

    [Fact]
    public async Task RemoteCall_AfterOwnershipMoved_FollowsRedirectToNewOwner()
    {
        var (a, b, c) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        var siloB = await StartMemberAsync(b);
        var siloC = await StartMemberAsync(c);
        Map.AssignAll(c);
        await DirectoryOf(siloB).RefreshAsync(Cancellation);
        await DirectoryOf(siloC).RefreshAsync(Cancellation);

        var ranOn = await siloA.Grains.GetGrain<IRemoteGrain>("r1").Where();

        Assert.Equal(c.ToString(), ranOn);
        Assert.Equal(1, DirectoryOf(siloA).Refreshes);
        Assert.Equal(0, siloB.Status.ActivationCount);
    }

    [Fact]
    public async Task RemoteCall_OwnersDisagreeAboutOwnership_StopsAfterMaxRedirectsWithSiloUnavailable()
    {
        var (a, b, c) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        var siloB = await StartMemberAsync(b);
        var siloC = await StartMemberAsync(c);
        Map.AssignAll(c);
        await DirectoryOf(siloB).RefreshAsync(Cancellation);

        // B says C owns it; C (not refreshed) says B does: the caller follows the hints back and forth, then gives up.
        await Assert.ThrowsAsync<SiloUnavailableException>(() => siloA.Grains.GetGrain<IRemoteGrain>("r1").Where());

        Assert.Equal(new NexusOrleans.Runtime.Cluster.ClusterOptions().MaxRedirects, DirectoryOf(siloA).Refreshes);
        Assert.Equal(0, siloB.Status.ActivationCount + siloC.Status.ActivationCount);
    }

    [Fact]
    public async Task RemoteCall_NoAnswerWithinCallTimeout_FailsWithTimeout()
    {
        var (a, b) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        await StartMemberAsync(b);
        var call = siloA.Grains.GetGrain<IRemoteGrain>("r1").Hold("slow");
        await Probe.WaitFor("holding:slow").WaitAsync(Timeout, Cancellation);

        // Advanced until the caller's timer, armed once its frame is written, has fired.
        await Eventually(() =>
        {
            Clock.Advance(new NexusOrleans.Runtime.Cluster.ClusterOptions().CallTimeout);
            return Task.FromResult(call.IsCompleted);
        }, "the call timed out");

        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Probe.Open("slow");
    }

    [Fact]
    public async Task RemoteCall_NoLiveOwnerKnown_FailsWithSiloUnavailable()
    {
        Map.AssignAll(null);
        var silo = await StartMemberAsync(ClusterTestServices.NextAddress());

        await Assert.ThrowsAsync<SiloUnavailableException>(() => silo.Grains.GetGrain<IRemoteGrain>("r1").Where());
    }

    [Fact]
    public async Task RemoteCall_OwnerNotListening_FailsWithSiloUnavailable()
    {
        var (a, nobody) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(nobody);
        var silo = await StartMemberAsync(a);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => silo.Grains.GetGrain<IRemoteGrain>("r1").Where());
    }

    [Fact]
    public async Task RemoteCall_OwnerAbortsMidCall_FailsWithCallInterruptedInsteadOfHanging()
    {
        var (a, b) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        var siloB = await StartMemberAsync(b);
        var call = siloA.Grains.GetGrain<IRemoteGrain>("r1").Hold("forever");
        await Probe.WaitFor("holding:forever").WaitAsync(Timeout, Cancellation);

        await siloB.AbortAsync();

        await Assert.ThrowsAsync<CallInterruptedException>(() => call.WaitAsync(Timeout, Cancellation));
        Probe.Open("forever");
    }

    [Fact]
    public async Task Observer_OnFirstSilo_IsNotifiedByGrainOnSecondSilo()
    {
        var (a, b) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        await StartMemberAsync(b);
        var observer = new RecordingObserver();
        var publisher = siloA.Grains.GetGrain<IPublisherGrain>("p");
        await publisher.Subscribe(siloA.Grains.CreateObjectReference<IChatObserver>(observer));

        Assert.Equal(1, await publisher.Publish("across"));

        Assert.Equal("across", await observer.Next());
    }

    [Fact]
    public async Task Observer_HostingSiloGone_CallFailsAndSubscriptionLapsesAtExpiry()
    {
        var (a, b) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(b);
        var siloA = await StartMemberAsync(a);
        var siloB = await StartMemberAsync(b);
        // Subscribed through silo A, so the reference crosses the wire and silo B holds one bound to itself.
        await siloA.Grains.GetGrain<IPublisherGrain>("p").Subscribe(siloA.Grains.CreateObjectReference<IChatObserver>(new RecordingObserver()));
        var publisher = siloB.Grains.GetGrain<IPublisherGrain>("p");
        await siloA.AbortAsync();

        Assert.Equal(1, await publisher.Publish("into the void"));
        Clock.Advance(PublisherGrain.Expiration + TimeSpan.FromMinutes(1));

        Assert.Equal(0, await publisher.Publish("later"));
        Assert.Equal(0, await publisher.Subscribers());
    }
}
