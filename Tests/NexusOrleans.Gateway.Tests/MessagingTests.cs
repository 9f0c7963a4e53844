using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime;
using NexusOrleans.Testing;

namespace NexusOrleans.Gateway.Tests;

/// <summary>Send, push, fetch, ack and expiry through a real gateway on SQLite.</summary>
public sealed class MessagingTests : IAsyncLifetime
{
    private RelayCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await RelayCluster.StartAsync(store: StoreKind.Sqlite);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Send_ToAnOnlineRecipient_IsPushedAndDecrypts()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        var envelope = Envelopes.Seal(alice.Keys, bob.Keys.Identity, "hello bob", _cluster.Clock.GetUtcNow());

        var answer = await alice.RequestAsync(Envelopes.SendFrame(envelope));
        var delivery = await bob.NextDeliveryAsync();

        Assert.Equal(FrameTypes.Ok, answer.Type);
        Assert.Equal(envelope.Id.ToString(), answer.MessageId);
        Assert.Equal("hello bob", Envelopes.OpenText(delivery, bob.Keys));
    }

    [Fact]
    public async Task Send_ToAnOfflineRecipient_IsFetchedOnConnectWithinSixHours()
    {
        using var bobKeys = RawPhone.NewKeys();
        await using (var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]))
        {
            var envelope = Envelopes.Seal(alice.Keys, bobKeys.Identity, "while you were away", _cluster.Clock.GetUtcNow());
            Assert.Equal(FrameTypes.Ok, (await alice.RequestAsync(Envelopes.SendFrame(envelope))).Type);
        }

        _cluster.Clock.Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(59));
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0], bobKeys);
        var page = await bob.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = 0 });

        var only = Assert.Single(page.Envelopes!);
        Assert.Equal("while you were away", Envelopes.OpenText(new WireFrame { Envelope = only }, bob.Keys));
    }

    [Fact]
    public async Task UnreadMessage_AfterSixHoursAndASecond_IsGoneEvenAcrossASiloRestart()
    {
        using var bobKeys = RawPhone.NewKeys();
        await using (var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]))
        {
            var envelope = Envelopes.Seal(alice.Keys, bobKeys.Identity, "burns in 6 h", _cluster.Clock.GetUtcNow());
            Assert.Equal(FrameTypes.Ok, (await alice.RequestAsync(Envelopes.SendFrame(envelope))).Type);
        }

        _cluster.Clock.Advance(TimeSpan.FromHours(3));
        await _cluster.RestartAsync();
        _cluster.Clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));

        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0], bobKeys);
        var page = await bob.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = 0 });
        Assert.Empty(page.Envelopes!);
    }

    [Fact]
    public async Task UnreadMessage_AfterExpiry_IsDeletedFromStorageWithoutAnyoneAsking()
    {
        using var bobKeys = RawPhone.NewKeys();
        await using (var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]))
        {
            var envelope = Envelopes.Seal(alice.Keys, bobKeys.Identity, "nobody reads this", _cluster.Clock.GetUtcNow());
            Assert.Equal(FrameTypes.Ok, (await alice.RequestAsync(Envelopes.SendFrame(envelope))).Type);
        }

        await _cluster.RestartAsync();
        Assert.True(await InboxHasStateAsync(_cluster, bobKeys.Identity.ToString()));
        _cluster.Clock.Advance(TimeSpan.FromHours(6) + TimeSpan.FromSeconds(1));

        // The reminder fires on its own; storage is read directly, without activating the inbox.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await InboxHasStateAsync(_cluster, bobKeys.Identity.ToString()))
        {
            Assert.True(DateTime.UtcNow < deadline, "The expired inbox was not cleared by its reminder.");
            await Task.Yield();
        }
    }

    [Fact]
    public async Task Ack_ByTheRecipient_BurnsAtOnceOnEveryGateway()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        var envelope = Envelopes.Seal(alice.Keys, bob.Keys.Identity, "read once", _cluster.Clock.GetUtcNow());
        await alice.RequestAsync(Envelopes.SendFrame(envelope));
        await bob.NextDeliveryAsync();

        var ack = await bob.RequestAsync(new WireFrame { Type = FrameTypes.Ack, MessageIds = [envelope.Id.ToString()] });
        var page = await bob.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = 0 });
        var resend = await alice.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal(1, ack.Burned);
        Assert.Empty(page.Envelopes!);
        Assert.Equal(ErrorCodes.Duplicate, resend.Code);
    }

    [Fact]
    public async Task AnotherIdentity_CannotReadOrAckSomeoneElsesInbox()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var mallory = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        var envelope = Envelopes.Seal(alice.Keys, bob.Keys.Identity, "for bob only", _cluster.Clock.GetUtcNow());
        await alice.RequestAsync(Envelopes.SendFrame(envelope));

        var malloryAck = await mallory.RequestAsync(new WireFrame { Type = FrameTypes.Ack, MessageIds = [envelope.Id.ToString()] });
        var malloryFetch = await mallory.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = 0 });
        var bobFetch = await bob.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = 0 });

        Assert.Equal(0, malloryAck.Burned);
        Assert.Empty(malloryFetch.Envelopes!);
        Assert.Empty(mallory.Deliveries);
        Assert.Equal("for bob only", Envelopes.OpenText(new WireFrame { Envelope = Assert.Single(bobFetch.Envelopes!) }, bob.Keys));
    }

    [Fact]
    public async Task Send_OfAnEnvelopeSignedByAnotherIdentity_IsUnauthorized()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var mallory = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        var envelope = Envelopes.Seal(alice.Keys, mallory.Keys.Identity, "alice's words", _cluster.Clock.GetUtcNow());

        var answer = await mallory.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal(ErrorCodes.Unauthorized, answer.Code);
    }

    [Fact]
    public async Task Send_OfAnExpiredEnvelope_IsExpired()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        using var bob = RawPhone.NewKeys();
        var envelope = Envelopes.Seal(alice.Keys, bob.Identity, "too late", _cluster.Clock.GetUtcNow() - TimeSpan.FromHours(2), TimeSpan.FromHours(1));

        var answer = await alice.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal(ErrorCodes.Expired, answer.Code);
    }

    [Fact]
    public async Task Send_WithCreatedAtFarInTheFuture_IsInvalid()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        using var bob = RawPhone.NewKeys();
        var envelope = Envelopes.Seal(alice.Keys, bob.Identity, "from the future", _cluster.Clock.GetUtcNow() + TimeSpan.FromHours(1));

        var answer = await alice.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal(ErrorCodes.Invalid, answer.Code);
        Assert.Contains("future", answer.Message);
    }

    [Fact]
    public async Task Fetch_PagesThroughEverythingUnreadInOrder()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        using var bobKeys = RawPhone.NewKeys();
        for (var i = 0; i < 5; i++)
        {
            var envelope = Envelopes.Seal(alice.Keys, bobKeys.Identity, $"message {i}", _cluster.Clock.GetUtcNow());
            Assert.Equal(FrameTypes.Ok, (await alice.RequestAsync(Envelopes.SendFrame(envelope))).Type);
        }

        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0], bobKeys);
        var texts = new List<string>();
        long after = 0;
        while (true)
        {
            var page = await bob.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = after, Limit = 2 });
            texts.AddRange(page.Envelopes!.Select(envelope => Envelopes.OpenText(new WireFrame { Envelope = envelope }, bob.Keys)));
            if (page.HasMore != true)
            {
                break;
            }

            after = page.Next!.Value;
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"message {i}"), texts);
    }

    [Fact]
    public async Task LongLivedConnection_KeepsGettingPushesPastTheSubscriptionExpiry()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        // The inbox forgets a subscription after 5 minutes unless renewed; the gateway renews every 2.
        for (var renewals = 1; renewals <= 3; renewals++)
        {
            _cluster.Clock.Advance(TimeSpan.FromMinutes(2));
            await WaitForLogAsync(4005, renewals);
        }

        var envelope = Envelopes.Seal(alice.Keys, bob.Keys.Identity, "six minutes later", _cluster.Clock.GetUtcNow());
        await alice.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal("six minutes later", Envelopes.OpenText(await bob.NextDeliveryAsync(), bob.Keys));
    }

    private async Task WaitForLogAsync(int eventId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (_cluster.Logs.Lines.Count(line => line.EventId.Id == eventId) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Event {eventId} was not logged {count} times.");
            await Task.Yield();
        }
    }

    private static async Task<bool> InboxHasStateAsync(RelayCluster cluster, string identity)
    {
        var stored = await cluster.Storage.ReadAsync(new GrainId(GrainType.Create("inbox"), identity), "state", CancellationToken.None);
        return stored?.Payload is not null;
    }
}
