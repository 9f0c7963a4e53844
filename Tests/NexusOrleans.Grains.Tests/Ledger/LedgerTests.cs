using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Ledger;

/// <summary>Mint, transfer, stake, unstake, burn and slash: exact amounts, idempotency (also across a restart) and refusals, on every storage provider.</summary>
public abstract class LedgerTests : LedgerSiloTest
{
    private static readonly UInt128 Zero = UInt128.Zero;
    private static readonly UInt128 Half = Tokens.One / 2;
    private readonly string _alice = NewAddress();
    private readonly string _bob = NewAddress();

    [Fact]
    public async Task Mint_ThenTransfer_MovesExactAmounts()
    {
        var silo = await StartSiloAsync();

        var minted = await Supply(silo).Mint(NewEntryId(), _alice, Ichat(10));
        var transferred = await Account(silo, _alice).Transfer(NewEntryId(), _bob, Ichat(3) + Half);

        Assert.Equal((EntryStatus.Applied, EntryStatus.Applied), (minted.Status, transferred.Status));
        Assert.Equal((Ichat(6) + Half, Zero, Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Ichat(3) + Half, Zero, Zero), await AmountsAsync(silo, _bob));
        Assert.Equal(new SupplySnapshot(Ichat(10), Zero, Zero), await Supply(silo).GetSupply());
    }

    [Fact]
    public async Task Mint_RetriedWithTheSameId_AppliesOnce()
    {
        var silo = await StartSiloAsync();
        var id = NewEntryId();

        var first = await Supply(silo).Mint(id, _alice, Ichat(5));
        var again = await Supply(silo).Mint(id, _alice, Ichat(5));
        var otherwise = await Supply(silo).Mint(id, _bob, Ichat(7));

        Assert.Equal(EntryStatus.Applied, first.Status);
        Assert.Equal((EntryStatus.AlreadyApplied, EntryStatus.AlreadyApplied), (again.Status, otherwise.Status));
        Assert.Equal((Ichat(5), Zero, Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Zero, Zero, Zero), await AmountsAsync(silo, _bob));
        Assert.Equal(Ichat(5), (await Supply(silo).GetSupply()).Minted);
    }

    [Fact]
    public async Task Transfer_RetriedWithTheSameId_AppliesOnce()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        var id = NewEntryId();

        var first = await Account(silo, _alice).Transfer(id, _bob, Ichat(4));
        var again = await Account(silo, _alice).Transfer(id, _bob, Ichat(4));

        Assert.Equal((EntryStatus.Applied, EntryStatus.AlreadyApplied), (first.Status, again.Status));
        Assert.Equal((Ichat(6), Zero, Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Ichat(4), Zero, Zero), await AmountsAsync(silo, _bob));
    }

    [Fact]
    public async Task Stake_RetriedWithTheSameId_AppliesOnce()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        var id = NewEntryId();

        var first = await Account(silo, _alice).Stake(id, Ichat(4));
        var again = await Account(silo, _alice).Stake(id, Ichat(4));

        Assert.Equal((EntryStatus.Applied, EntryStatus.AlreadyApplied), (first.Status, again.Status));
        Assert.Equal((Ichat(6), Ichat(4), Zero), await AmountsAsync(silo, _alice));
    }

    [Fact]
    public async Task Retries_AfterASiloRestart_AreStillAppliedOnce()
    {
        var first = await StartSiloAsync();
        var (mint, transfer, stake) = (NewEntryId(), NewEntryId(), NewEntryId());
        await Supply(first).Mint(mint, _alice, Ichat(10));
        await Account(first, _alice).Transfer(transfer, _bob, Ichat(3));
        await Account(first, _alice).Stake(stake, Ichat(2));
        await first.StopAsync();

        var second = await StartSiloAsync();
        var retried = new[]
        {
            await Supply(second).Mint(mint, _alice, Ichat(10)),
            await Account(second, _alice).Transfer(transfer, _bob, Ichat(3)),
            await Account(second, _alice).Stake(stake, Ichat(2)),
        };

        Assert.All(retried, result => Assert.Equal(EntryStatus.AlreadyApplied, result.Status));
        Assert.Equal((Ichat(5), Ichat(2), Zero), await AmountsAsync(second, _alice));
        Assert.Equal((Ichat(3), Zero, Zero), await AmountsAsync(second, _bob));
        Assert.Equal(new SupplySnapshot(Ichat(10), Zero, Zero), await Supply(second).GetSupply());
    }

    [Fact]
    public async Task Transfer_BeyondTheBalance_IsRefusedAndChangesNothing()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(5));
        var id = NewEntryId();

        var refused = await Account(silo, _alice).Transfer(id, _bob, Ichat(5) + 1);

        Assert.Equal(EntryStatus.InsufficientBalance, refused.Status);
        Assert.False(refused.Succeeded);
        Assert.Equal("The balance is 5 iChat; this entry needs 5.000000000000000001 iChat.", refused.Reason);
        Assert.Equal((Ichat(5), Zero, Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Zero, Zero, Zero), await AmountsAsync(silo, _bob));
        var stored = await StoredStateAsync<AccountState>(silo, AccountId(_alice));
        Assert.DoesNotContain(id, stored!.Applied);
        Assert.Empty(stored.Outbox);
    }

    [Fact]
    public async Task HasApplied_TellsAppliedFromRefusedAndUnknownEntriesAndIgnoresCreditsReceived()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(5));
        var applied = await Account(silo, _alice).Transfer(NewEntryId(), _bob, Ichat(2));
        var refused = await Account(silo, _alice).Transfer(NewEntryId(), _bob, Ichat(9));

        Assert.True(await Account(silo, _alice).HasApplied(applied.EntryId));
        Assert.False(await Account(silo, _alice).HasApplied(refused.EntryId));
        Assert.False(await Account(silo, _alice).HasApplied(NewEntryId()));
        Assert.False(await Account(silo, _bob).HasApplied(applied.EntryId));
    }

    [Fact]
    public async Task Transfer_RefusedForWantOfBalance_AppliesWhenRetriedWithTheSameIdOnceFunded()
    {
        var silo = await StartSiloAsync();
        var id = NewEntryId();
        Assert.Equal(EntryStatus.InsufficientBalance, (await Account(silo, _alice).Transfer(id, _bob, Ichat(2))).Status);
        await FundAsync(silo, _alice, Ichat(2));

        var retried = await Account(silo, _alice).Transfer(id, _bob, Ichat(2));

        Assert.Equal(EntryStatus.Applied, retried.Status);
        Assert.Equal((Ichat(2), Zero, Zero), await AmountsAsync(silo, _bob));
    }

    [Fact]
    public async Task Stake_ThenUnstake_MovesBetweenBalanceAndStake()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));

        await Account(silo, _alice).Stake(NewEntryId(), Ichat(7));
        var afterStake = await AmountsAsync(silo, _alice);
        await Account(silo, _alice).Unstake(NewEntryId(), Ichat(2));

        Assert.Equal((Ichat(3), Ichat(7), Zero), afterStake);
        Assert.Equal((Ichat(5), Ichat(5), Zero), await AmountsAsync(silo, _alice));
    }

    [Fact]
    public async Task Stake_BeyondTheBalance_IsRefusedWithInsufficientBalance()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(1));

        var refused = await Account(silo, _alice).Stake(NewEntryId(), Ichat(2));

        Assert.Equal(EntryStatus.InsufficientBalance, refused.Status);
        Assert.Equal((Ichat(1), Zero, Zero), await AmountsAsync(silo, _alice));
    }

    [Fact]
    public async Task Unstake_BeyondTheStake_IsRefusedWithInsufficientStake()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        await Account(silo, _alice).Stake(NewEntryId(), Ichat(3));

        var refused = await Account(silo, _alice).Unstake(NewEntryId(), Ichat(4));

        Assert.Equal(EntryStatus.InsufficientStake, refused.Status);
        Assert.Equal("The stake is 3 iChat; this entry needs 4 iChat.", refused.Reason);
        Assert.Equal((Ichat(7), Ichat(3), Zero), await AmountsAsync(silo, _alice));
    }

    [Fact]
    public async Task Slash_ToTheTreasury_MovesStakeToTheTreasurysBalance()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        await Account(silo, _alice).Stake(NewEntryId(), Ichat(8));

        var slashed = await Account(silo, _alice).Slash(NewEntryId(), Ichat(3), LedgerAccounts.Treasury);

        Assert.Equal(EntryStatus.Applied, slashed.Status);
        Assert.Equal((Ichat(2), Ichat(5), Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Ichat(3), Zero, Zero), await AmountsAsync(silo, LedgerAccounts.Treasury));
        Assert.Equal(new SupplySnapshot(Ichat(10), Zero, Zero), await Supply(silo).GetSupply());
    }

    [Fact]
    public async Task Slash_WithoutABeneficiary_BurnsTheStake()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        await Account(silo, _alice).Stake(NewEntryId(), Ichat(8));

        var slashed = await Account(silo, _alice).Slash(NewEntryId(), Ichat(3), beneficiary: null);

        Assert.Equal(EntryStatus.Applied, slashed.Status);
        Assert.Equal((Ichat(2), Ichat(5), Zero), await AmountsAsync(silo, _alice));
        Assert.Equal(new SupplySnapshot(Ichat(10), Ichat(3), Zero), await Supply(silo).GetSupply());
    }

    [Fact]
    public async Task Slash_BeyondTheStake_IsRefusedWithInsufficientStake()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        await Account(silo, _alice).Stake(NewEntryId(), Ichat(1));

        var refused = await Account(silo, _alice).Slash(NewEntryId(), Ichat(2), LedgerAccounts.Treasury);

        Assert.Equal(EntryStatus.InsufficientStake, refused.Status);
        Assert.Equal((Ichat(9), Ichat(1), Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Zero, Zero, Zero), await AmountsAsync(silo, LedgerAccounts.Treasury));
    }

    [Fact]
    public async Task Burn_AddsToTheBurnedTotalAndKeepsMintedWhole()
    {
        var silo = await StartSiloAsync();
        await FundAsync(silo, _alice, Ichat(10));
        await FundAsync(silo, _bob, Ichat(4));

        var burned = await Account(silo, _alice).Burn(NewEntryId(), Ichat(6));
        var retried = await Account(silo, _alice).Burn(burned.EntryId, Ichat(6));

        Assert.Equal((EntryStatus.Applied, EntryStatus.AlreadyApplied), (burned.Status, retried.Status));
        var supply = await Supply(silo).GetSupply();
        Assert.Equal(new SupplySnapshot(Ichat(14), Ichat(6), Zero), supply);
        var alice = await AmountsAsync(silo, _alice);
        var bob = await AmountsAsync(silo, _bob);
        Assert.Equal(supply.Minted, alice.Balance + alice.Stake + bob.Balance + bob.Stake + supply.Burned);
    }
}

public sealed class LedgerTestsInMemory : LedgerTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class LedgerTestsOnSqlite : LedgerTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class LedgerTestsOnPostgres : LedgerTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
