using FsCheck;
using FsCheck.Fluent;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Ledger;

/// <summary>
/// Random runs of mints, transfers, stakes, unstakes, burns and slashes (entry ids drawn from a small pool, so retries and
/// ids reused across grains are frequent), silo restarts on the same store, storage outages of single grains and heals,
/// against a plain model of the ledger. An outage makes a grain's writes fail at once, or after one more write succeeded:
/// so credits to it wait in outboxes, and a movement whose credit landed may fail to record that it did, and its credit
/// is then delivered a second time. A heal advances the clock by the outbox retry period, and the reminders deliver what
/// waited. After every step each account's balance, stake and outgoing total, and the supply's minted, burned and
/// outgoing totals, equal the model's; every operation answers as the model does (or throws when the model says its
/// write fails); and minted = Σ balances + Σ stakes + burned + in transit, where outgoing totals also count credits that
/// landed but are not yet confirmed. After a heal nothing is outgoing. Amounts are <see cref="UInt128"/> throughout, so no
/// negative value can even be represented: a debit the ledger let through beyond what was there would show as a
/// wrapped-around balance and break the sums.
/// </summary>
/// <remarks>
/// Each run uses three fresh addresses and the treasury; the treasury and the supply carry totals from earlier runs, so
/// the sums compare what changed during the run. Runs end with a heal, so the next one starts with nothing in transit.
/// </remarks>
public abstract class LedgerProperties : LedgerSiloTest
{
    private const int Addresses = 3;
    private const int Treasury = Addresses;
    private const int SupplyTarget = Treasury + 1;
    private const int EntryIds = 6;

    private static readonly Gen<int> AnyAccount = Gen.Choose(0, Treasury);
    private static readonly Gen<int> AnyEntry = Gen.Choose(0, EntryIds - 1);
    private static readonly Gen<ulong> SmallAmount = Gen.Choose(1, 40).Select(amount => (ulong)amount);

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (4, from entry in AnyEntry from to in AnyAccount from amount in Gen.Choose(1, 100) select (Op)new MintOp(entry, to, (ulong)amount)),
        (5, from entry in AnyEntry from account in AnyAccount from step in Gen.Choose(1, Treasury) from amount in SmallAmount
            select (Op)new TransferOp(entry, account, (account + step) % (Treasury + 1), amount)),
        (2, from entry in AnyEntry from account in AnyAccount from amount in SmallAmount select (Op)new StakeOp(entry, account, amount)),
        (2, from entry in AnyEntry from account in AnyAccount from amount in SmallAmount select (Op)new UnstakeOp(entry, account, amount)),
        (2, from entry in AnyEntry from account in AnyAccount from amount in SmallAmount select (Op)new BurnOp(entry, account, amount)),
        (2, from entry in AnyEntry from account in AnyAccount from step in Gen.Choose(0, Treasury) from amount in SmallAmount
            select (Op)new SlashOp(entry, account, amount, step == 0 ? null : (account + step) % (Treasury + 1))),
        (1, Gen.Constant((Op)new RestartOp())),
        (1, from target in Gen.Choose(0, SupplyTarget) from writesFirst in Gen.Choose(0, 1) select (Op)new OutageOp(target, writesFirst)),
        (1, Gen.Constant((Op)new HealOp())));

    private static readonly Gen<Run> Runs_ =
        from length in Gen.Choose(1, 25)
        from ops in Ops.ListOf(length)
        select new Run([.. ops]);

    private TestSilo? _silo;

    /// <summary>How many random runs to check.</summary>
    protected abstract int RunCount { get; }

    private TestSilo Silo => _silo ?? throw new InvalidOperationException("The silo is started by the test.");

    [Fact]
    public async Task Ledger_AlwaysEqualsTheModelAndConservesWhatWasMinted()
    {
        _silo = await StartSiloAsync();

        // Task.Run: FsCheck waits for the task on this thread, so the run must not need this thread's context.
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(RunCount),
            Prop.ForAll(Runs_.ToArbitrary(), run => Task.Run(() => RunAsync(run)).WaitAsync(TimeSpan.FromMinutes(2)).GetAwaiter().GetResult()));
    }

    private async Task<bool> RunAsync(Run run)
    {
        var runId = NewEntryId();
        var keys = Enumerable.Range(0, Addresses).Select(_ => NewAddress()).Append(LedgerAccounts.Treasury).ToArray();
        var ids = Enumerable.Range(0, EntryIds).Select(i => $"{runId}-{i}").ToArray();
        var model = await StartModelAsync(keys);
        foreach (var op in run.Ops.Append(new HealOp()))
        {
            await StepAsync(op, model, keys, ids);
            await AssertMatchesAsync(op, model, keys);
        }

        return true;
    }

    private async Task StepAsync(Op op, LedgerModel model, string[] keys, string[] ids)
    {
        switch (op)
        {
            case MintOp mint:
                await ExpectAsync(op, model.Mint(ids[mint.Entry], keys[mint.To], mint.Amount), () => Supply(Silo).Mint(ids[mint.Entry], keys[mint.To], mint.Amount));
                break;
            case TransferOp transfer:
                await ExpectAsync(
                    op,
                    model.Transfer(ids[transfer.Entry], keys[transfer.From], keys[transfer.To], transfer.Amount),
                    () => Account(Silo, keys[transfer.From]).Transfer(ids[transfer.Entry], keys[transfer.To], transfer.Amount));
                break;
            case StakeOp stake:
                await ExpectAsync(op, model.Stake(ids[stake.Entry], keys[stake.Account], stake.Amount), () => Account(Silo, keys[stake.Account]).Stake(ids[stake.Entry], stake.Amount));
                break;
            case UnstakeOp unstake:
                await ExpectAsync(op, model.Unstake(ids[unstake.Entry], keys[unstake.Account], unstake.Amount), () => Account(Silo, keys[unstake.Account]).Unstake(ids[unstake.Entry], unstake.Amount));
                break;
            case BurnOp burn:
                await ExpectAsync(op, model.Burn(ids[burn.Entry], keys[burn.Account], burn.Amount), () => Account(Silo, keys[burn.Account]).Burn(ids[burn.Entry], burn.Amount));
                break;
            case SlashOp slash:
                var beneficiary = slash.Beneficiary is { } index ? keys[index] : null;
                await ExpectAsync(
                    op,
                    model.Slash(ids[slash.Entry], keys[slash.Account], slash.Amount, beneficiary),
                    () => Account(Silo, keys[slash.Account]).Slash(ids[slash.Entry], slash.Amount, beneficiary));
                break;
            case RestartOp:
                await Silo.StopAsync();
                _silo = await StartSiloAsync();
                break;
            case OutageOp outage:
                var target = outage.Target == SupplyTarget ? LedgerAccounts.Supply : keys[outage.Target];
                if (model.Fail(target, outage.WritesFirst))
                {
                    Faults.FailWrites(GrainIdOf(target), outage.WritesFirst);
                }

                break;
            case HealOp:
                model.Heal();
                Faults.Heal();
                Clock.Advance(new LedgerOptions().OutboxRetryPeriod);
                await EventuallyNothingOutgoing(Silo, keys);
                await EventuallyRemindersSettledAsync(keys);
                break;
        }
    }

    private static GrainId GrainIdOf(string key) => key == LedgerAccounts.Supply ? SupplyId : AccountId(key);

    /// <summary>
    /// Waits until every outbox reminder tick the heal made due has run to its end, so that no reminder writes state
    /// behind a later step's back (a grain with one successful write left would lose it to the tick).
    /// </summary>
    private Task EventuallyRemindersSettledAsync(string[] keys) => Eventually(
        async () =>
        {
            var now = Clock.GetUtcNow();
            foreach (var key in keys.Append(LedgerAccounts.Supply))
            {
                var grainId = GrainIdOf(key);
                var reminder = await StoredOutboxReminderAsync(Silo, grainId);
                if (reminder is null)
                {
                    var registered = key == LedgerAccounts.Supply
                        ? (await StoredStateAsync<SupplyState>(Silo, grainId))?.OutboxReminderRegistered
                        : (await StoredStateAsync<AccountState>(Silo, grainId))?.OutboxReminderRegistered;
                    if (registered == true)
                    {
                        return false;
                    }

                    continue;
                }

                if (reminder.StartAt <= now)
                {
                    var latestDue = reminder.StartAt + ((now - reminder.StartAt).Ticks / reminder.Period.Ticks * reminder.Period);
                    if (reminder.LastTickDue is not { } lastTick || lastTick < latestDue)
                    {
                        return false;
                    }
                }
            }

            return true;
        },
        "every outbox reminder tick that fell due has run");

    /// <summary>The call answers <paramref name="expected"/>, or throws the failed write's exception when that is null.</summary>
    private static async Task ExpectAsync(Op op, EntryStatus? expected, Func<Task<EntryResult>> call)
    {
        if (expected is { } status)
        {
            var result = await call();
            Assert.True(result.Status == status, $"{op}: expected {status}, got {result.Status} ({result.Reason})");
            return;
        }

        var error = await Record.ExceptionAsync(call);
        Assert.True(error is StorageUnavailableException, $"{op}: expected the failed write's exception, got {error?.GetType().Name ?? "an answer"}");
    }

    private async Task<LedgerModel> StartModelAsync(string[] keys)
    {
        var model = new LedgerModel();
        foreach (var key in keys)
        {
            var account = await Account(Silo, key).GetAccount();
            model.Accounts[key] = new LedgerModelAccount { Balance = account.Balance, Stake = account.Stake };
        }

        var supply = await Supply(Silo).GetSupply();
        (model.Minted, model.Burned) = (supply.Minted, supply.Burned);
        model.Start = (supply.Minted, supply.Burned, model.Accounts.Values.Aggregate(UInt128.Zero, (sum, a) => sum + a.Balance + a.Stake));
        return model;
    }

    private async Task AssertMatchesAsync(Op op, LedgerModel model, string[] keys)
    {
        var held = UInt128.Zero;
        var outgoing = UInt128.Zero;
        foreach (var key in keys)
        {
            var account = await Account(Silo, key).GetAccount();
            var expected = model.Accounts[key];
            Assert.True(
                (expected.Balance, expected.Stake, model.OutgoingFrom(key)) == (account.Balance, account.Stake, account.Outgoing),
                $"after {op}: {account} differs from the model's balance {expected.Balance}, stake {expected.Stake}, outgoing {model.OutgoingFrom(key)}");
            held += account.Balance + account.Stake;
            outgoing += account.Outgoing;
        }

        var supply = await Supply(Silo).GetSupply();
        Assert.True(
            (model.Minted, model.Burned, model.OutgoingFrom(LedgerAccounts.Supply)) == (supply.Minted, supply.Burned, supply.Outgoing),
            $"after {op}: {supply} differs from the model's minted {model.Minted}, burned {model.Burned}, outgoing {model.OutgoingFrom(LedgerAccounts.Supply)}");
        outgoing += supply.Outgoing;

        // minted − minted₀ = (held − held₀) + (burned − burned₀) + in transit, where in transit is outgoing less what
        // landed unconfirmed; rearranged to stay in unsigned arithmetic.
        var (minted0, burned0, held0) = model.Start;
        var landed = model.LandedUnconfirmed;
        Assert.True(
            supply.Minted + held0 + burned0 + landed == held + supply.Burned + outgoing + minted0,
            $"after {op}: minted {supply.Minted} is not held {held} + burned {supply.Burned} + outgoing {outgoing} - landed {landed} (at the start: minted {minted0}, held {held0}, burned {burned0})");
        if (op is HealOp)
        {
            Assert.Equal(UInt128.Zero, outgoing);
        }
    }

    private abstract record Op;

    private sealed record MintOp(int Entry, int To, ulong Amount) : Op;

    private sealed record TransferOp(int Entry, int From, int To, ulong Amount) : Op;

    private sealed record StakeOp(int Entry, int Account, ulong Amount) : Op;

    private sealed record UnstakeOp(int Entry, int Account, ulong Amount) : Op;

    private sealed record BurnOp(int Entry, int Account, ulong Amount) : Op;

    private sealed record SlashOp(int Entry, int Account, ulong Amount, int? Beneficiary) : Op;

    private sealed record RestartOp : Op;

    private sealed record OutageOp(int Target, int WritesFirst) : Op;

    private sealed record HealOp : Op;

    private sealed record Run(Op[] Ops)
    {
        public override string ToString() => string.Join("; ", Ops.Select(op => op.ToString()));
    }
}

public sealed class LedgerPropertiesInMemory : LedgerProperties
{
    protected override StoreKind Store => StoreKind.Memory;

    protected override int RunCount => 40;
}

public sealed class LedgerPropertiesOnSqlite : LedgerProperties
{
    protected override StoreKind Store => StoreKind.Sqlite;

    protected override int RunCount => 8;
}
