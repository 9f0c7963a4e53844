using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Ledger;

/// <summary>
/// The outbox: a credit whose delivery failed is delivered later (by the reminder, after a restart, when the payer next
/// activates), a failed write changes nothing, a lost confirmation does not credit twice, and two accounts paying each
/// other at once do not deadlock. Faults are real failing or held writes of the store, on every storage provider.
/// </summary>
public abstract class LedgerOutboxTests : LedgerSiloTest
{
    private static readonly UInt128 Zero = UInt128.Zero;
    private readonly string _alice = NewAddress();
    private readonly string _bob = NewAddress();

    [Fact]
    public async Task Transfer_WhoseDebitCannotBeWritten_FailsChangesNothingAndCanBeRetried()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        var id = NewEntryId();
        Faults.FailWrites(AccountId(_alice));

        await Assert.ThrowsAsync<StorageUnavailableException>(() => Account(silo, _alice).Transfer(id, _bob, Ichat(4)));
        Faults.Heal();
        var unchanged = await AmountsAsync(silo, _alice);
        var retried = await Account(silo, _alice).Transfer(id, _bob, Ichat(4));

        Assert.Equal((Ichat(10), Zero, Zero), unchanged);
        Assert.Equal(EntryStatus.Applied, retried.Status);
        Assert.Equal((Ichat(6), Zero, Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Ichat(4), Zero, Zero), await AmountsAsync(silo, _bob));
    }

    [Fact]
    public async Task Credit_WhoseDeliveryFailed_IsDeliveredByTheOutboxReminder()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        Faults.FailWrites(AccountId(_bob));

        var transferred = await Account(silo, _alice).Transfer(NewEntryId(), _bob, Ichat(4));
        var inTransit = await AmountsAsync(silo, _alice);
        var bobMeanwhile = await AmountsAsync(silo, _bob);
        Faults.Heal();
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(EntryStatus.Applied, transferred.Status);
        Assert.Equal((Ichat(6), Zero, Ichat(4)), inTransit);
        Assert.Equal((Zero, Zero, Zero), bobMeanwhile);
        await EventuallyNothingOutgoing(silo, _alice);
        Assert.Equal((Ichat(4), Zero, Zero), await AmountsAsync(silo, _bob));
        Assert.Empty((await StoredStateAsync<AccountState>(silo, AccountId(_alice)))!.Outbox);
    }

    [Fact]
    public async Task Credit_WhoseDeliveryFailed_IsDeliveredByTheReminderAfterASiloRestart()
    {
        var first = await StartSiloAsync();
        await FundAsync(first, _alice, Ichat(10));
        Faults.FailWrites(AccountId(_bob));
        await Account(first, _alice).Transfer(NewEntryId(), _bob, Ichat(4));
        await first.StopAsync();
        Faults.Heal();

        var second = await StartSiloAsync();
        Clock.Advance(TimeSpan.FromMinutes(1));

        await Eventually(
            async () => (await StoredStateAsync<AccountState>(second, AccountId(_bob)))?.Balance == Ichat(4),
            "the reminder wakes the paying account, which delivers the credit");
        await EventuallyNothingOutgoing(second, _alice);
        Assert.Equal((Ichat(6), Zero, Zero), await AmountsAsync(second, _alice));
    }

    [Fact]
    public async Task Credit_WhoseDeliveryFailed_IsDeliveredWhenThePayingAccountNextActivates()
    {
        var first = await StartSiloAsync();
        await FundAsync(first, _alice, Ichat(10));
        Faults.FailWrites(AccountId(_bob));
        await Account(first, _alice).Transfer(NewEntryId(), _bob, Ichat(4));
        await first.StopAsync();
        Faults.Heal();

        var second = await StartSiloAsync();
        await Account(second, _alice).GetAccount();

        await EventuallyNothingOutgoing(second, _alice);
        Assert.Equal((Ichat(4), Zero, Zero), await AmountsAsync(second, _bob));
    }

    [Fact]
    public async Task Transfer_WhoseConfirmationCannotBeWritten_AnswersAppliedAndIsNotCreditedTwice()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        Faults.FailWrites(AccountId(_alice), writesFirst: 1);

        var transferred = await Account(silo, _alice).Transfer(NewEntryId(), _bob, Ichat(4));
        var aliceMeanwhile = await AmountsAsync(silo, _alice);
        var bobMeanwhile = await AmountsAsync(silo, _bob);
        Faults.Heal();
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(EntryStatus.Applied, transferred.Status);
        Assert.Equal((Ichat(6), Zero, Ichat(4)), aliceMeanwhile);
        Assert.Equal((Ichat(4), Zero, Zero), bobMeanwhile);
        await EventuallyNothingOutgoing(silo, _alice);
        Assert.Equal((Ichat(4), Zero, Zero), await AmountsAsync(silo, _bob));
    }

    [Fact]
    public async Task Mint_WhoseCreditFailed_IsDeliveredByTheSupplysReminder()
    {
        var silo = await StartSiloAsync();
        Faults.FailWrites(AccountId(_alice));

        var minted = await Supply(silo).Mint(NewEntryId(), _alice, Ichat(9));
        var supplyMeanwhile = await Supply(silo).GetSupply();
        Faults.Heal();
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(EntryStatus.Applied, minted.Status);
        Assert.Equal(new SupplySnapshot(Ichat(9), Zero, Ichat(9)), supplyMeanwhile);
        await EventuallyNothingOutgoing(silo, _alice);
        Assert.Equal((Ichat(9), Zero, Zero), await AmountsAsync(silo, _alice));
    }

    [Fact]
    public async Task Burn_WhileTheSupplyCannotWrite_IsCountedOnceItCan()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        Faults.FailWrites(SupplyId);

        var burned = await Account(silo, _alice).Burn(NewEntryId(), Ichat(4));
        var aliceMeanwhile = await AmountsAsync(silo, _alice);
        Faults.Heal();
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(EntryStatus.Applied, burned.Status);
        Assert.Equal((Ichat(6), Zero, Ichat(4)), aliceMeanwhile);
        await EventuallyNothingOutgoing(silo, _alice);
        Assert.Equal(new SupplySnapshot(Ichat(10), Ichat(4), Zero), await Supply(silo).GetSupply());
    }

    [Fact]
    public async Task OutboxReminder_IsRegisteredByAMovementAndRemovedOnceNothingIsOwed()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        await Account(silo, _alice).Transfer(NewEntryId(), _bob, Ichat(1));
        var registered = await StoredOutboxReminderAsync(silo, AccountId(_alice));

        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.NotNull(registered);
        await Eventually(async () => await StoredOutboxReminderAsync(silo, AccountId(_alice)) is null, "the tick finds the outbox empty and removes the reminder");
        Assert.False((await StoredStateAsync<AccountState>(silo, AccountId(_alice)))!.OutboxReminderRegistered);
        Assert.Null(await StoredOutboxReminderAsync(silo, AccountId(_bob)));
    }

    [Fact]
    public async Task Transfers_BetweenTwoAccountsInBothDirectionsAtOnce_BothCompleteWithoutDeadlock()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        await FundAsync(silo, _bob, Ichat(10));

        // Hold both debits until both transfers are under way, so each one's credit queues behind the other's turn.
        var aliceWrites = Faults.HoldWrites(AccountId(_alice));
        var bobWrites = Faults.HoldWrites(AccountId(_bob));
        var toBob = Account(silo, _alice).Transfer(NewEntryId(), _bob, Ichat(3));
        var toAlice = Account(silo, _bob).Transfer(NewEntryId(), _alice, Ichat(5));
        await Eventually(() => Task.FromResult(aliceWrites.Waiting == 1 && bobWrites.Waiting == 1), "both debits are being written");
        var timers = Clock.ActiveTimers;
        aliceWrites.Release();
        bobWrites.Release();
        await Eventually(() => Task.FromResult(Clock.ActiveTimers >= timers + 2), "both transfers wait for their credits");
        Assert.False(toBob.IsCompleted || toAlice.IsCompleted);

        Clock.Advance(new LedgerOptions().CreditWait);

        Assert.Equal((EntryStatus.Applied, EntryStatus.Applied), ((await toBob).Status, (await toAlice).Status));
        await EventuallyNothingOutgoing(silo, _alice, _bob);
        Assert.Equal((Ichat(12), Zero, Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Ichat(8), Zero, Zero), await AmountsAsync(silo, _bob));
    }
}

public sealed class LedgerOutboxTestsInMemory : LedgerOutboxTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class LedgerOutboxTestsOnSqlite : LedgerOutboxTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class LedgerOutboxTestsOnPostgres : LedgerOutboxTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
