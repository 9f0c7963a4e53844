using System.Collections.Concurrent;
using NexusOrleans.Runtime.Tests.Grains;

namespace NexusOrleans.Runtime.Tests;

/// <summary>Grains push to observers; subscriptions expire unless renewed; a failing subscriber never blocks the grain.</summary>
public sealed class ObserverTests : SiloTest
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Publish_ReachesTheSubscribedObserverOutsideTheGrainsContext()
    {
        var silo = await StartSiloAsync();
        var inbox = new RecordingObserver();
        var grain = silo.Grains.GetGrain<IPublisherGrain>("p");
        await grain.Subscribe(silo.Grains.CreateObjectReference<IChatObserver>(inbox));

        Assert.Equal(1, await grain.Publish("hello"));

        Assert.Equal("hello", await inbox.Next());
        Assert.False(inbox.RanInGrainContext);
    }

    [Fact]
    public async Task Subscription_NotRenewed_ExpiresAndGetsNothing()
    {
        var silo = await StartSiloAsync();
        var inbox = new RecordingObserver();
        var grain = silo.Grains.GetGrain<IPublisherGrain>("p");
        await grain.Subscribe(silo.Grains.CreateObjectReference<IChatObserver>(inbox));

        Clock.Advance(PublisherGrain.Expiration + Minute);

        Assert.Equal(0, await grain.Publish("late"));
        Assert.Equal(0, await grain.Subscribers());
        Assert.Empty(inbox.Received);
    }

    [Fact]
    public async Task Subscription_RenewedBeforeExpiry_StaysValid()
    {
        var silo = await StartSiloAsync();
        var inbox = new RecordingObserver();
        var grain = silo.Grains.GetGrain<IPublisherGrain>("p");
        var reference = silo.Grains.CreateObjectReference<IChatObserver>(inbox);
        await grain.Subscribe(reference);

        Clock.Advance(4 * Minute);
        await grain.Subscribe(reference);
        Clock.Advance(4 * Minute);

        Assert.Equal(1, await grain.Publish("still here"));
        Assert.Equal("still here", await inbox.Next());
        Assert.Equal(1, await grain.Subscribers());
    }

    [Fact]
    public async Task FailingHangingAndBlockingSubscribers_DoNotHoldUpTheGrainOrTheOthers()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<IPublisherGrain>("p");
        var healthy = new RecordingObserver();
        using var blocking = new BlockingObserver();
        await grain.Subscribe(silo.Grains.CreateObjectReference<IChatObserver>(new ThrowingObserver()));
        await grain.Subscribe(silo.Grains.CreateObjectReference<IChatObserver>(new HangingObserver()));
        await grain.Subscribe(silo.Grains.CreateObjectReference<IChatObserver>(blocking));
        await grain.Subscribe(silo.Grains.CreateObjectReference<IChatObserver>(healthy));

        Assert.Equal(4, await grain.Publish("one").WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.Equal(4, await grain.Publish("two").WaitAsync(Timeout, TestContext.Current.CancellationToken));

        Assert.Equal("one", await healthy.Next());
        Assert.Equal("two", await healthy.Next());
        Assert.Equal(4, await grain.Subscribers());
    }

    [Fact]
    public async Task DeletedObserverReference_IsDroppedFromSubscriptionsAtTheNextPublish()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<IPublisherGrain>("p");
        var reference = silo.Grains.CreateObjectReference<IChatObserver>(new RecordingObserver());
        await grain.Subscribe(reference);

        silo.Grains.DeleteObjectReference(reference);
        await grain.Publish("anyone?");

        Assert.Equal(0, await grain.Subscribers());
    }

    [Fact]
    public async Task CallToDeletedObserver_FailsWithObserverNotFound()
    {
        var silo = await StartSiloAsync();
        var reference = silo.Grains.CreateObjectReference<IChatObserver>(new RecordingObserver());
        silo.Grains.DeleteObjectReference(reference);

        await Assert.ThrowsAsync<ObserverNotFoundException>(() => reference.Receive("x"));
    }

    private sealed class RecordingObserver : IChatObserver
    {
        private readonly BlockingCollection<string> _received = [];

        public IReadOnlyCollection<string> Received => [.. _received];

        public bool RanInGrainContext { get; private set; }

        public Task Receive(string message)
        {
            RanInGrainContext |= SynchronizationContext.Current is not null;
            _received.Add(message);
            return Task.CompletedTask;
        }

        public Task<string> Next() => Task.Run(() => _received.TryTake(out var message, Timeout)
            ? message
            : throw new TimeoutException("no message arrived"));
    }

    private sealed class ThrowingObserver : IChatObserver
    {
        public Task Receive(string message) => throw new InvalidOperationException("this subscriber always fails");
    }

    private sealed class HangingObserver : IChatObserver
    {
        public Task Receive(string message) => new TaskCompletionSource().Task;
    }

    private sealed class BlockingObserver : IChatObserver, IDisposable
    {
        private readonly ManualResetEventSlim _release = new();

        public Task Receive(string message)
        {
            _release.Wait(Timeout);
            return Task.CompletedTask;
        }

        // Only released, never disposed: pool threads may still be inside Wait.
        public void Dispose() => _release.Set();
    }
}
