using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Tests.Support;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>Subscribers hear of each stored envelope once; subscriptions lapse unless renewed.</summary>
/// <remarks>
/// Pushes run on the thread pool in no fixed order, so "got nothing" is checked against a fresh subscriber that was
/// pushed the same envelopes: once it has them all, a push to the other one would have been started before them.
/// </remarks>
public sealed class InboxObserverTests : InboxSiloTest
{
    private readonly string _key = Envelopes.NewIdentity();

    [Fact]
    public async Task Subscriber_GetsEachStoredEnvelopeOnceWithItsSequenceAndRelayExpiry()
    {
        var silo = await StartSiloAsync();
        var observer = new RecordingObserver();
        await Inbox(silo, _key).Subscribe(silo.Grains.CreateObjectReference<IInboxObserver>(observer));
        var first = Envelopes.Create(Now, TimeSpan.FromDays(1));
        var second = Envelopes.Create(Now, TimeSpan.FromHours(1));

        await Inbox(silo, _key).Deposit(first);
        await Inbox(silo, _key).Deposit(first);
        await Inbox(silo, _key).Deposit(second);
        await observer.WaitFor(first.Id);
        await observer.WaitFor(second.Id);

        var fetched = (await Inbox(silo, _key).Fetch(0, 10)).Envelopes;
        Assert.Equal(fetched.OrderBy(e => e.Id), observer.Received.OrderBy(e => e.Id));
        Assert.Equal(Now + SixHours, observer.Received.Single(e => e.Id == first.Id).ExpiresAt);
    }

    [Fact]
    public async Task Subscription_NotRenewed_LapsesAndGetsNothing()
    {
        var silo = await StartSiloAsync();
        var lapsed = new RecordingObserver();
        var fresh = new RecordingObserver();
        await Inbox(silo, _key).Subscribe(silo.Grains.CreateObjectReference<IInboxObserver>(lapsed));
        Clock.Advance(new InboxOptions().ObserverExpiration + TimeSpan.FromSeconds(1));
        await Inbox(silo, _key).Subscribe(silo.Grains.CreateObjectReference<IInboxObserver>(fresh));
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));

        await Inbox(silo, _key).Deposit(envelope);
        await fresh.WaitFor(envelope.Id);

        Assert.Empty(lapsed.Received);
    }

    [Fact]
    public async Task Subscription_RenewedBeforeItLapses_KeepsGettingPushes()
    {
        var silo = await StartSiloAsync();
        var observer = new RecordingObserver();
        var reference = silo.Grains.CreateObjectReference<IInboxObserver>(observer);
        await Inbox(silo, _key).Subscribe(reference);
        Clock.Advance(TimeSpan.FromMinutes(4));
        await Inbox(silo, _key).Subscribe(reference);
        Clock.Advance(TimeSpan.FromMinutes(4));
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));

        await Inbox(silo, _key).Deposit(envelope);

        await observer.WaitFor(envelope.Id);
    }

    [Fact]
    public async Task ObserverExpiration_IsConfigurable()
    {
        var silo = await StartSiloAsync(
            inbox: options => options.ObserverExpiration = TimeSpan.FromMinutes(30),
            runtime: options => options.CollectionAge = TimeSpan.FromHours(1));
        var observer = new RecordingObserver();
        await Inbox(silo, _key).Subscribe(silo.Grains.CreateObjectReference<IInboxObserver>(observer));
        Clock.Advance(TimeSpan.FromMinutes(20));
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));

        await Inbox(silo, _key).Deposit(envelope);

        await observer.WaitFor(envelope.Id);
    }

    [Fact]
    public async Task Unsubscribed_GetsNothing()
    {
        var silo = await StartSiloAsync();
        var gone = new RecordingObserver();
        var fresh = new RecordingObserver();
        var goneReference = silo.Grains.CreateObjectReference<IInboxObserver>(gone);
        await Inbox(silo, _key).Subscribe(goneReference);
        await Inbox(silo, _key).Subscribe(silo.Grains.CreateObjectReference<IInboxObserver>(fresh));
        await Inbox(silo, _key).Unsubscribe(goneReference);
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));

        await Inbox(silo, _key).Deposit(envelope);
        await fresh.WaitFor(envelope.Id);

        Assert.Empty(gone.Received);
    }

    [Fact]
    public async Task RefusedDeposits_PushNothing()
    {
        var silo = await StartSiloAsync(inbox: options => options.MaxEnvelopes = 1);
        var observer = new RecordingObserver();
        await Inbox(silo, _key).Subscribe(silo.Grains.CreateObjectReference<IInboxObserver>(observer));
        var stored = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(stored);

        await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1)));
        await Inbox(silo, _key).Deposit(Envelopes.Create(Now - TimeSpan.FromHours(2), TimeSpan.FromHours(1)));
        await Inbox(silo, _key).Ack([stored.Id]);
        var last = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(last);
        await observer.WaitFor(stored.Id);
        await observer.WaitFor(last.Id);

        Assert.Equal(new[] { stored.Id, last.Id }.Order(StringComparer.Ordinal), observer.Received.Select(e => e.Id).Order(StringComparer.Ordinal));
    }
}
