using FsCheck;
using FsCheck.Fluent;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>
/// Random runs of deposits (fresh and repeated ids, some already expired, some too large), acks (known and unknown
/// ids) and clock steps against a model of the product rule: after every step, fetching the whole inbox page by page
/// returns exactly the model's unread, unexpired envelopes in deposit order, each once, and every deposit and ack
/// answers as the model does. One silo serves every run; each run uses an inbox of its own.
/// </summary>
public sealed class InboxProperties : InboxSiloTest
{
    private const int MaxEnvelopes = 4;
    private const int MaxBytes = 100;
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(150);

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (5, from id in Gen.Choose(0, 5) from minutes in Gen.Choose(-30, 720) from size in Gen.Choose(1, 45)
            select (Op)new DepositOp(id, minutes, size)),
        (2, from ids in Gen.ListOf(Gen.Choose(0, 6)) select (Op)new AckOp([.. ids])),
        (3, from minutes in Gen.Choose(0, 240) select (Op)new AdvanceOp(minutes)));

    private static readonly Gen<Run> Runs_ =
        from ops in Gen.ListOf(Ops)
        from pageSize in Gen.Choose(1, 5)
        select new Run([.. ops], pageSize);

    [Fact]
    public async Task Fetch_AlwaysEqualsTheModelsUnreadUnexpiredEnvelopesInOrder()
    {
        var silo = await StartSiloAsync(inbox: options =>
        {
            options.MaxEnvelopes = MaxEnvelopes;
            options.MaxBytes = MaxBytes;
        });

        // Task.Run: FsCheck waits for the task on this thread, so the run must not need this thread's context.
        Check.One(Runs, Prop.ForAll(Runs_.ToArbitrary(), run => Task.Run(() => RunAsync(silo, run)).WaitAsync(TimeSpan.FromMinutes(2)).GetAwaiter().GetResult()));
    }

    private async Task<bool> RunAsync(TestSilo silo, Run run)
    {
        var inbox = Inbox(silo, Envelopes.NewIdentity());
        var ids = Enumerable.Range(0, 7).Select(_ => Envelopes.NewIdentity()).ToArray();
        var model = new Model();
        foreach (var op in run.Ops)
        {
            var now = Now;
            switch (op)
            {
                case DepositOp deposit:
                    var envelope = new InboxEnvelope(ids[deposit.Id], ids[6], now, now + TimeSpan.FromMinutes(deposit.LifetimeMinutes), new byte[deposit.Size]);
                    var expected = model.Deposit(envelope, now);
                    var actual = await inbox.Deposit(envelope);
                    Assert.True(expected == actual.Status, $"{op}: expected {expected}, got {actual.Status} ({actual.Reason})");
                    break;
                case AckOp ack:
                    var acked = ack.Ids.Select(i => ids[i]).ToList();
                    Assert.Equal(model.Ack(acked, now), await inbox.Ack(acked));
                    break;
                case AdvanceOp advance:
                    Clock.Advance(TimeSpan.FromMinutes(advance.Minutes));
                    break;
            }

            var fetched = await FetchAllAsync(inbox, run.PageSize);
            Assert.Equal(model.Unread(Now), fetched.Select(e => e.Id));
            Assert.Equal(fetched.Count, fetched.Select(e => e.Sequence).Distinct().Count());
            Assert.True(fetched.All(e => e.ExpiresAt > Now), "an expired envelope was returned");
        }

        return true;
    }

    private static async Task<List<InboxEnvelope>> FetchAllAsync(IInboxGrain inbox, int pageSize)
    {
        var all = new List<InboxEnvelope>();
        var after = 0L;
        InboxPage page;
        do
        {
            page = await inbox.Fetch(after, pageSize);
            Assert.True(page.Envelopes.All(e => e.Sequence > after), "a page went back before its cursor");
            all.AddRange(page.Envelopes);
            after = page.Next;
        }
        while (page.HasMore);

        return all;
    }

    private abstract record Op;

    private sealed record DepositOp(int Id, int LifetimeMinutes, int Size) : Op;

    private sealed record AckOp(int[] Ids) : Op
    {
        public override string ToString() => $"AckOp [{string.Join(", ", Ids)}]";
    }

    private sealed record AdvanceOp(int Minutes) : Op;

    private sealed record Run(Op[] Ops, int PageSize)
    {
        public override string ToString() => $"page {PageSize}: {string.Join("; ", Ops.Select(op => op.ToString()))}";
    }

    /// <summary>The product rule, stated as plainly as possible.</summary>
    private sealed class Model
    {
        private readonly List<(string Id, DateTimeOffset ExpiresAt, int Size)> _unread = [];
        private readonly Dictionary<string, DateTimeOffset> _read = [];

        public DepositStatus Deposit(InboxEnvelope envelope, DateTimeOffset now)
        {
            Forget(now);
            if (_unread.Any(e => e.Id == envelope.Id) || _read.ContainsKey(envelope.Id))
            {
                return DepositStatus.Duplicate;
            }

            if (envelope.ExpiresAt <= now)
            {
                return DepositStatus.Expired;
            }

            if (_unread.Count >= MaxEnvelopes || _unread.Sum(e => e.Size) + envelope.Data.Length > MaxBytes)
            {
                return DepositStatus.InboxFull;
            }

            var relayExpiry = envelope.ExpiresAt < now + SixHours ? envelope.ExpiresAt : now + SixHours;
            _unread.Add((envelope.Id, relayExpiry, envelope.Data.Length));
            return DepositStatus.Stored;
        }

        public int Ack(IEnumerable<string> ids, DateTimeOffset now)
        {
            Forget(now);
            var count = 0;
            foreach (var id in ids.Distinct())
            {
                var index = _unread.FindIndex(e => e.Id == id);
                if (index >= 0)
                {
                    _read[id] = _unread[index].ExpiresAt;
                    _unread.RemoveAt(index);
                    count++;
                }
            }

            return count;
        }

        public IEnumerable<string> Unread(DateTimeOffset now) => _unread.Where(e => e.ExpiresAt > now).Select(e => e.Id);

        private void Forget(DateTimeOffset now)
        {
            _unread.RemoveAll(e => e.ExpiresAt <= now);
            foreach (var id in _read.Where(r => r.Value <= now).Select(r => r.Key).ToList())
            {
                _read.Remove(id);
            }
        }
    }
}
