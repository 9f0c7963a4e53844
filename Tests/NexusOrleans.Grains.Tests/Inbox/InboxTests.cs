using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>Deposit, fetch, ack and limits of the inbox, on every storage provider.</summary>
public abstract class InboxTests : InboxSiloTest
{
    private readonly string _key = Envelopes.NewIdentity();

    [Fact]
    public async Task Deposit_ThenFetch_ReturnsTheEnvelopeWithASequence()
    {
        var silo = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));

        var result = await Inbox(silo, _key).Deposit(envelope);
        var page = await Inbox(silo, _key).Fetch(0, 10);

        Assert.Equal(new DepositResult(DepositStatus.Stored, envelope.Id, envelope.ExpiresAt), result);
        var fetched = Assert.Single(page.Envelopes);
        Assert.Equal((envelope.Id, envelope.Sender, envelope.CreatedAt, envelope.ExpiresAt), (fetched.Id, fetched.Sender, fetched.CreatedAt, fetched.ExpiresAt));
        Assert.Equal(envelope.Data, fetched.Data);
        Assert.True(fetched.Sequence > 0);
        Assert.Equal(fetched.Sequence, page.Next);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task Deposit_IsDurableAcrossARestart()
    {
        var first = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(first, _key).Deposit(envelope);
        await first.StopAsync();

        var second = await StartSiloAsync();
        var page = await Inbox(second, _key).Fetch(0, 10);

        Assert.Equal(envelope.Data, Assert.Single(page.Envelopes).Data);
    }

    [Fact]
    public async Task Deposit_SameIdTwice_IsStoredOnce()
    {
        var silo = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(envelope);

        var again = await Inbox(silo, _key).Deposit(envelope with { Data = [1, 2, 3] });

        Assert.Equal(DepositStatus.Duplicate, again.Status);
        Assert.Equal(envelope.ExpiresAt, again.ExpiresAt);
        Assert.Equal(envelope.Data, Assert.Single((await Inbox(silo, _key).Fetch(0, 10)).Envelopes).Data);
        Assert.Single((await StoredStateAsync(silo, _key))!.Envelopes);
    }

    [Fact]
    public async Task Deposit_OfAnAckedId_IsDuplicateAndNotStoredAgain()
    {
        var silo = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(envelope);
        await Inbox(silo, _key).Ack([envelope.Id]);
        Clock.Advance(TimeSpan.FromMinutes(30));

        var late = await Inbox(silo, _key).Deposit(envelope);

        Assert.Equal(DepositStatus.Duplicate, late.Status);
        Assert.Empty((await Inbox(silo, _key).Fetch(0, 10)).Envelopes);
        Assert.Empty((await StoredStateAsync(silo, _key))!.Envelopes);
    }

    [Fact]
    public async Task Deposit_OfAnAckedIdAfterARestart_IsStillDuplicate()
    {
        var first = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(first, _key).Deposit(envelope);
        await Inbox(first, _key).Ack([envelope.Id]);
        await first.StopAsync();

        var second = await StartSiloAsync();

        Assert.Equal(DepositStatus.Duplicate, (await Inbox(second, _key).Deposit(envelope)).Status);
        Assert.Empty((await Inbox(second, _key).Fetch(0, 10)).Envelopes);
    }

    [Fact]
    public async Task Ack_DeletesTheEnvelopeFromStorageBeforeReturning()
    {
        var silo = await StartSiloAsync();
        var read = Envelopes.Create(Now, TimeSpan.FromHours(1));
        var unread = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(read);
        await Inbox(silo, _key).Deposit(unread);

        var deleted = await Inbox(silo, _key).Ack([read.Id]);

        Assert.Equal(1, deleted);
        Assert.Equal([unread.Id], (await Inbox(silo, _key).Fetch(0, 10)).Envelopes.Select(e => e.Id));
        var row = await StoredRowAsync(silo, _key);
        var stored = await StoredStateAsync(silo, _key);
        Assert.Equal([unread.Id], stored!.Envelopes.Select(e => e.Id));
        Assert.DoesNotContain(Convert.ToBase64String(read.Data), System.Text.Encoding.UTF8.GetString(row!.Payload!), StringComparison.Ordinal);
        Assert.Equal(read.ExpiresAt, stored.Burned[read.Id]);
    }

    [Fact]
    public async Task Ack_OfUnknownAndAlreadyAckedIds_IgnoresThem()
    {
        var silo = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(envelope);

        var first = await Inbox(silo, _key).Ack([envelope.Id, Envelopes.NewIdentity(), "not an id", envelope.Id]);
        var second = await Inbox(silo, _key).Ack([envelope.Id]);

        Assert.Equal((1, 0), (first, second));
    }

    [Fact]
    public async Task Deposit_AlreadyExpired_IsRefusedAndNothingIsStored()
    {
        var silo = await StartSiloAsync();
        var envelope = Envelopes.Create(Now - TimeSpan.FromHours(2), TimeSpan.FromHours(1));

        var result = await Inbox(silo, _key).Deposit(envelope);

        Assert.Equal(DepositStatus.Expired, result.Status);
        Assert.Equal(envelope.ExpiresAt, result.ExpiresAt);
        Assert.Null(await StoredRowAsync(silo, _key));
        Assert.Null(await StoredReminderAsync(silo, _key));
    }

    [Fact]
    public async Task Deposit_WithASenderExpiryBeyondSixHours_IsShortenedToSixHoursFromArrival()
    {
        var silo = await StartSiloAsync();
        var arrival = Now;
        var envelope = Envelopes.Create(arrival, TimeSpan.FromDays(2));

        var result = await Inbox(silo, _key).Deposit(envelope);

        Assert.Equal(arrival + SixHours, result.ExpiresAt);
        Assert.Equal(arrival + SixHours, Assert.Single((await Inbox(silo, _key).Fetch(0, 10)).Envelopes).ExpiresAt);
    }

    [Fact]
    public async Task Deposit_WithAShorterSenderExpiry_KeepsIt()
    {
        var silo = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromMinutes(90));

        var result = await Inbox(silo, _key).Deposit(envelope);

        Assert.Equal(envelope.ExpiresAt, result.ExpiresAt);
    }

    [Fact]
    public async Task Deposit_BeyondMaxEnvelopes_IsRefusedNamingTheLimitAndKeepsTheOthers()
    {
        var silo = await StartSiloAsync(inbox: options => options.MaxEnvelopes = 3);
        var kept = Enumerable.Range(0, 3).Select(_ => Envelopes.Create(Now, TimeSpan.FromHours(1))).ToList();
        foreach (var envelope in kept)
        {
            Assert.Equal(DepositStatus.Stored, (await Inbox(silo, _key).Deposit(envelope)).Status);
        }

        var refused = await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1)));

        Assert.Equal(DepositStatus.InboxFull, refused.Status);
        Assert.Contains("at most 3 unread envelopes", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(kept.Select(e => e.Id), (await Inbox(silo, _key).Fetch(0, 10)).Envelopes.Select(e => e.Id));
        Assert.Equal(3, (await StoredStateAsync(silo, _key))!.Envelopes.Count);
    }

    [Fact]
    public async Task Deposit_BeyondMaxBytes_IsRefusedNamingTheLimitAndKeepsTheOthers()
    {
        var silo = await StartSiloAsync(inbox: options => options.MaxBytes = 100);
        var kept = Envelopes.Create(Now, TimeSpan.FromHours(1), size: 60);
        await Inbox(silo, _key).Deposit(kept);

        var refused = await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1), size: 41));
        var fits = await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1), size: 40));

        Assert.Equal(DepositStatus.InboxFull, refused.Status);
        Assert.Contains("at most 100 bytes", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(DepositStatus.Stored, fits.Status);
        Assert.Equal([kept.Id, fits.MessageId], (await Inbox(silo, _key).Fetch(0, 10)).Envelopes.Select(e => e.Id));
    }

    [Fact]
    public async Task Deposit_IntoAFullInbox_FitsAgainOnceOneIsAcked()
    {
        var silo = await StartSiloAsync(inbox: options => options.MaxEnvelopes = 1);
        var first = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(first);
        var second = Envelopes.Create(Now, TimeSpan.FromHours(1));
        Assert.Equal(DepositStatus.InboxFull, (await Inbox(silo, _key).Deposit(second)).Status);

        await Inbox(silo, _key).Ack([first.Id]);

        Assert.Equal(DepositStatus.Stored, (await Inbox(silo, _key).Deposit(second)).Status);
    }

    [Fact]
    public async Task Fetch_PagesWithTheCursorOldestFirst()
    {
        var silo = await StartSiloAsync();
        var deposited = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));
            await Inbox(silo, _key).Deposit(envelope);
            deposited.Add(envelope.Id);
        }

        var pages = new List<InboxPage>();
        var after = 0L;
        do
        {
            pages.Add(await Inbox(silo, _key).Fetch(after, 2));
            after = pages[^1].Next;
        }
        while (pages[^1].HasMore);
        var past = await Inbox(silo, _key).Fetch(after, 2);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Envelopes.Count));
        Assert.Equal(deposited, pages.SelectMany(p => p.Envelopes).Select(e => e.Id));
        var sequences = pages.SelectMany(p => p.Envelopes).Select(e => e.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal((0, after, false), (past.Envelopes.Count, past.Next, past.HasMore));
    }

    [Fact]
    public async Task Fetch_Limit_IsClampedBetweenOneAndMaxFetchPage()
    {
        var silo = await StartSiloAsync(inbox: options => options.MaxFetchPage = 3);
        for (var i = 0; i < 5; i++)
        {
            await Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1)));
        }

        var large = await Inbox(silo, _key).Fetch(0, 1000);
        var zero = await Inbox(silo, _key).Fetch(0, 0);

        Assert.Equal((3, true), (large.Envelopes.Count, large.HasMore));
        Assert.Equal((1, true), (zero.Envelopes.Count, zero.HasMore));
    }

    [Fact]
    public async Task Deposit_PushesOnlyOnceTheEnvelopeIsDurable()
    {
        var silo = await StartSiloAsync();
        var storedWhenPushed = new List<bool>();
        var observer = new RecordingObserver(async pushed =>
        {
            var stored = await StoredStateAsync(silo, _key);
            lock (storedWhenPushed)
            {
                storedWhenPushed.Add(stored?.Envelopes.Any(e => e.Id == pushed.Id) == true);
            }
        });
        await Inbox(silo, _key).Subscribe(silo.Grains.CreateObjectReference<IInboxObserver>(observer));
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));

        await Inbox(silo, _key).Deposit(envelope);
        await observer.WaitFor(envelope.Id);

        Assert.Equal([true], storedWhenPushed);
    }

    [Fact]
    public async Task Sequence_AfterTheInboxEmptiedAndItsStateWasDeleted_StaysAboveEarlierCursors()
    {
        var silo = await StartSiloAsync();
        var first = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(silo, _key).Deposit(first);
        var cursor = (await Inbox(silo, _key).Fetch(0, 10)).Next;
        await Inbox(silo, _key).Ack([first.Id]);
        Clock.Advance(TimeSpan.FromHours(1));
        await EventuallyNothingStored(silo, _key);
        await silo.StopAsync();
        var restarted = await StartSiloAsync();

        var second = Envelopes.Create(Now, TimeSpan.FromHours(1));
        await Inbox(restarted, _key).Deposit(second);

        Assert.Equal([second.Id], (await Inbox(restarted, _key).Fetch(cursor, 10)).Envelopes.Select(e => e.Id));
    }
}

public sealed class InboxTestsInMemory : InboxTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class InboxTestsOnSqlite : InboxTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class InboxTestsOnPostgres : InboxTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
