using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Catalog;
using NexusOrleans.Runtime.Cluster.Serialization;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Grains.Tests.Cluster;

/// <summary>
/// The arguments and results of the relay's grain calls survive the trip to another process: each test sends a call
/// through a real proxy, serializes it as the transport does, re-creates the request from its wire name on the "other
/// side", runs it on a stand-in grain, and completes the caller from the serialized result.
/// </summary>
public sealed class GrainCallWireFormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Deposit_EnvelopeAndResult_ArriveUnchanged()
    {
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(2), size: 300) with { Sequence = 42 };
        var inbox = new StandInInbox { DepositResult = new DepositResult(DepositStatus.InboxFull, envelope.Id, Now, "at most 1000 envelopes") };

        var result = await RoundTripAsync<IInboxGrain, DepositResult>(grain => grain.Deposit(envelope), inbox);

        var received = inbox.Deposited!;
        Assert.Equal((envelope.Id, envelope.Sender, envelope.CreatedAt, envelope.ExpiresAt, envelope.Sequence), (received.Id, received.Sender, received.CreatedAt, received.ExpiresAt, received.Sequence));
        Assert.Equal(envelope.Data, received.Data);
        Assert.Equal(inbox.DepositResult, result);
    }

    [Fact]
    public async Task Fetch_PageOfEnvelopes_ArrivesUnchanged()
    {
        var envelopes = new[] { Envelopes.Create(Now, TimeSpan.FromHours(1)) with { Sequence = 7 }, Envelopes.Create(Now, TimeSpan.FromHours(1)) with { Sequence = 9 } };
        var inbox = new StandInInbox { Page = new InboxPage(envelopes, 9, HasMore: true) };

        var page = await RoundTripAsync<IInboxGrain, InboxPage>(grain => grain.Fetch(6, 2), inbox);

        Assert.Equal((6L, 2), inbox.Fetched);
        Assert.Equal((9L, true), (page.Next, page.HasMore));
        Assert.Equal(envelopes.Select(e => (e.Id, e.Sequence, Convert.ToHexString(e.Data))), page.Envelopes.Select(e => (e.Id, e.Sequence, Convert.ToHexString(e.Data))));
    }

    [Fact]
    public async Task Ack_ListOfIds_ArrivesInOrder()
    {
        var inbox = new StandInInbox();

        var deleted = await RoundTripAsync<IInboxGrain, int>(grain => grain.Ack(["b", "a", "c"]), inbox);

        Assert.Equal(new[] { "b", "a", "c" }, inbox.Acked);
        Assert.Equal(3, deleted);
    }

    [Fact]
    public async Task Subscribe_ObserverReference_ArrivesAsReferenceWithSameId()
    {
        var inbox = new StandInInbox();
        var observerId = new GrainId(GrainType.Observer, "0123456789abcdef0123456789abcdef@10.0.0.5:11111@1763726400000");
        var observer = ProxyFactory.Create<IInboxObserver>(new CapturingSink(), observerId);

        await RoundTripAsync<IInboxGrain, bool>(async grain => { await grain.Subscribe(observer); return true; }, inbox);

        Assert.Equal(observerId, Assert.IsAssignableFrom<GrainReference>(inbox.Subscribed).GrainId);
    }

    [Fact]
    public async Task Transfer_UInt128AmountAndAccountSnapshot_ArriveUnchanged()
    {
        var huge = UInt128.MaxValue - 12345;
        var account = new StandInAccount { Snapshot = new AccountSnapshot("acct", huge, UInt128.One << 100, 5) };

        var entry = await RoundTripAsync<IAccountGrain, EntryResult>(grain => grain.Transfer("e1", "acct-2", huge), account);
        var snapshot = await RoundTripAsync<IAccountGrain, AccountSnapshot>(grain => grain.GetAccount(), account);

        Assert.Equal(("e1", "acct-2", huge), account.Transferred);
        Assert.Equal(new EntryResult(EntryStatus.Applied, "e1"), entry);
        Assert.Equal(account.Snapshot, snapshot);
    }

    private static async Task<TResult> RoundTripAsync<TGrain, TResult>(Func<TGrain, Task<TResult>> call, TGrain target)
        where TGrain : IGrain
    {
        var sink = new CapturingSink();
        var serializer = new CallSerializer(sink);
        var pending = call(ProxyFactory.Create<TGrain>(sink, new GrainId(GrainType.Create("test"), "key")));
        var sent = sink.Sent!;

        Assert.True(GrainRequestRegistry.Shared.TryCreate(sent.WireName!, out var received), $"no request registered as {sent.WireName}");
        serializer.ReadArguments(received, serializer.WriteArguments(sent));
        received.Invoke(target, IgnoreCompletion.Instance);
        await received.Outcome!;
        serializer.Complete(sent, serializer.WriteResult(received));

        return await pending;
    }

    private sealed class CapturingSink : IGrainCallSink
    {
        public GrainRequest? Sent { get; private set; }

        public void Send(GrainReference target, GrainRequest request) => Sent = request;
    }

    private sealed class IgnoreCompletion : IRequestCompletion
    {
        public static readonly IgnoreCompletion Instance = new();

        public void OnRequestCompleted(GrainRequest request)
        {
        }
    }

    private sealed class StandInInbox : IInboxGrain
    {
        public DepositResult? DepositResult { get; init; }

        public InboxPage? Page { get; init; }

        public InboxEnvelope? Deposited { get; private set; }

        public (long After, int Limit) Fetched { get; private set; }

        public IReadOnlyList<string>? Acked { get; private set; }

        public IInboxObserver? Subscribed { get; private set; }

        public Task<DepositResult> Deposit(InboxEnvelope envelope)
        {
            Deposited = envelope;
            return Task.FromResult(DepositResult!);
        }

        public Task<InboxPage> Fetch(long after, int limit)
        {
            Fetched = (after, limit);
            return Task.FromResult(Page!);
        }

        public Task<int> Ack(IReadOnlyList<string> messageIds)
        {
            Acked = messageIds;
            return Task.FromResult(messageIds.Count);
        }

        public Task Subscribe(IInboxObserver observer)
        {
            Subscribed = observer;
            return Task.CompletedTask;
        }

        public Task Unsubscribe(IInboxObserver observer) => Task.CompletedTask;
    }

    private sealed class StandInAccount : IAccountGrain
    {
        public AccountSnapshot? Snapshot { get; init; }

        public (string EntryId, string To, UInt128 Amount) Transferred { get; private set; }

        public Task<AccountSnapshot> GetAccount() => Task.FromResult(Snapshot!);

        public Task<EntryResult> Transfer(string entryId, string to, UInt128 amount)
        {
            Transferred = (entryId, to, amount);
            return Task.FromResult(new EntryResult(EntryStatus.Applied, entryId));
        }

        public Task<bool> HasApplied(string entryId) => throw new NotSupportedException();

        public Task<EntryResult> Stake(string entryId, UInt128 amount) => throw new NotSupportedException();

        public Task<EntryResult> Unstake(string entryId, UInt128 amount) => throw new NotSupportedException();

        public Task<EntryResult> Burn(string entryId, UInt128 amount) => throw new NotSupportedException();

        public Task<EntryResult> Slash(string entryId, UInt128 amount, string? beneficiary) => throw new NotSupportedException();

        public Task<EntryResult> Credit(string entryId, UInt128 amount) => throw new NotSupportedException();
    }
}
