using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>Unread envelopes and tombstones disappear at their expiry, whether or not the grain or the silo is up in between.</summary>
public abstract class InboxExpiryTests : InboxSiloTest
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly string _key = Envelopes.NewIdentity();

    [Fact]
    public async Task Fetch_SixHoursAndOneSecondAfterArrival_ReturnsNothing()
    {
        var silo = await StartSiloAsync();
        await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromDays(1)));

        Clock.Advance(SixHours + Second);

        Assert.Empty((await Inbox(silo, _key).Fetch(0, 10)).Envelopes);
    }

    [Fact]
    public async Task Fetch_AfterTheExpiryButBeforeTheSweep_ReturnsNothing()
    {
        var silo = await StartSiloAsync();
        var lifetime = TimeSpan.FromHours(1) + TimeSpan.FromMicroseconds(500);
        var envelope = Envelopes.Create(Now, lifetime);
        await Inbox(silo, _key).Deposit(envelope);

        // The sweep is due at the expiry rounded up to the millisecond, so here only the read filter can hide it.
        Clock.Advance(lifetime + TimeSpan.FromMicroseconds(200));

        Assert.Empty((await Inbox(silo, _key).Fetch(0, 10)).Envelopes);
        Assert.Single((await StoredStateAsync(silo, _key))!.Envelopes);
    }

    [Fact]
    public async Task Expiry_WhileTheGrainIsNotActive_DeletesTheStoredEnvelope()
    {
        var silo = await StartSiloAsync(runtime: options => options.CollectionAge = TimeSpan.FromMinutes(2));
        await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1)));
        Clock.Advance(TimeSpan.FromMinutes(4));
        await Eventually(() => Task.FromResult(silo.Status.ActivationCount == 0), "the idle inbox is collected");
        Assert.Single((await StoredStateAsync(silo, _key))!.Envelopes);

        Clock.Advance(TimeSpan.FromHours(1));

        await EventuallyNothingStored(silo, _key);
        Assert.Empty((await Inbox(silo, _key).Fetch(0, 10)).Envelopes);
    }

    [Fact]
    public async Task Expiry_AfterASiloRestart_DeletesTheStoredEnvelope()
    {
        var first = await StartSiloAsync();
        await Inbox(first, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromDays(1)));
        await first.StopAsync();

        var second = await StartSiloAsync();
        Assert.Single((await StoredStateAsync(second, _key))!.Envelopes);
        Clock.Advance(SixHours + Second);

        await EventuallyNothingStored(second, _key);
        Assert.Empty((await Inbox(second, _key).Fetch(0, 10)).Envelopes);
    }

    [Fact]
    public async Task Expiry_WhileTheSiloIsDown_DeletesTheStoredEnvelopeAtTheNextStart()
    {
        var first = await StartSiloAsync();
        await Inbox(first, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1)));
        await first.StopAsync();
        Clock.Advance(TimeSpan.FromHours(2));

        var second = await StartSiloAsync();

        await EventuallyNothingStored(second, _key);
    }

    [Fact]
    public async Task Expiry_RemovesOnlyWhatIsDueAndRearmsForTheNext()
    {
        var silo = await StartSiloAsync();
        var start = Now;
        var soon = Envelopes.Create(Now, TimeSpan.FromHours(1));
        var later = Envelopes.Create(Now, TimeSpan.FromHours(3));
        await Inbox(silo, _key).Deposit(later);
        await Inbox(silo, _key).Deposit(soon);

        Clock.Advance(TimeSpan.FromHours(1));

        await Eventually(async () => (await StoredStateAsync(silo, _key))!.Envelopes.Count == 1, "the first expiry is swept");
        Assert.Equal([later.Id], (await StoredStateAsync(silo, _key))!.Envelopes.Select(e => e.Id));
        await Eventually(async () => (await StoredReminderAsync(silo, _key))?.StartAt == start + TimeSpan.FromHours(3), "the reminder moves to the next expiry");
        Clock.Advance(TimeSpan.FromHours(2));
        await EventuallyNothingStored(silo, _key);
    }

    [Fact]
    public async Task ExpiryReminder_IsMovedOnlyWhenADepositExpiresEarlier()
    {
        var silo = await StartSiloAsync();
        var start = Now;
        await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromDays(1)));
        var registered = await StoredReminderAsync(silo, _key);
        Clock.Advance(TimeSpan.FromMinutes(1));

        await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromDays(1)));
        var afterLater = await StoredReminderAsync(silo, _key);
        await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromMinutes(30)));
        var afterEarlier = await StoredReminderAsync(silo, _key);

        Assert.Equal(start + SixHours, registered!.StartAt);
        Assert.Equal(registered.ETag, afterLater!.ETag);
        Assert.Equal(start + TimeSpan.FromMinutes(31), afterEarlier!.StartAt);
    }

    [Fact]
    public async Task Expiry_OfTheLastTombstone_DeletesTheState()
    {
        var silo = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(envelope);
        await Inbox(silo, _key).Ack([envelope.Id]);
        Assert.Single((await StoredStateAsync(silo, _key))!.Burned);

        Clock.Advance(TimeSpan.FromHours(1));

        await EventuallyNothingStored(silo, _key);
        Assert.Null((await StoredRowAsync(silo, _key))!.Payload);
    }
}

public sealed class InboxExpiryTestsInMemory : InboxExpiryTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class InboxExpiryTestsOnSqlite : InboxExpiryTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class InboxExpiryTestsOnPostgres : InboxExpiryTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
