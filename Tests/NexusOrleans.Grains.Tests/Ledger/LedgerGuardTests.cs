using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Tests.Ledger;

/// <summary>Malformed keys, entry ids, amounts and counterparties are refused with a message that says what is allowed, and store nothing.</summary>
public sealed class LedgerGuardTests : LedgerSiloTest
{
    private readonly string _alice = NewAddress();

    [Theory]
    [InlineData("alice")]
    [InlineData("0xABCDEF0123456789ABCDEF0123456789ABCDEF01")]
    [InlineData("0xabcdef0123456789abcdef0123456789abcdef")]
    [InlineData("supply")]
    public async Task Account_WhoseKeyIsNotAnAccount_FailsToActivate(string key)
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => Account(silo, key).GetAccount());

        var inner = Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Contains("\"treasury\" or an EVM address written as 0x followed by 40 lowercase hex characters", inner.Message, StringComparison.Ordinal);
        Assert.Contains($"got '{key}'", inner.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supply_UnderAnotherKey_FailsToActivate()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => silo.Grains.GetGrain<ISupplyGrain>(LedgerAccounts.Treasury).GetSupply());

        Assert.Contains("one key, \"supply\"", error.InnerException!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData(null)]
    public async Task Transfer_WithAnInvalidEntryId_IsRefusedAndStoresNothing(string? entryId)
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Account(silo, _alice).Transfer(entryId!, NewAddress(), 1));

        Assert.StartsWith("An entry id must be 1 to 200 characters without control characters", error.Message, StringComparison.Ordinal);
        Assert.Equal("entryId", error.ParamName);
        Assert.Null(await StoredStateAsync<AccountState>(silo, AccountId(_alice)));
    }

    [Fact]
    public async Task Mint_WithAnEntryIdOver200Characters_IsRefusedSayingItsLength()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Supply(silo).Mint(new string('e', 201), _alice, 1));

        Assert.Contains("(got 201 characters)", error.Message, StringComparison.Ordinal);
        Assert.Null(await StoredStateAsync<SupplyState>(silo, SupplyId));
    }

    [Fact]
    public async Task Mint_WithAnEntryIdOf200Characters_IsApplied()
    {
        var silo = await StartSiloAsync();

        var result = await Supply(silo).Mint(new string('e', 200), _alice, 1);

        Assert.Equal(EntryStatus.Applied, result.Status);
    }

    [Fact]
    public async Task Transfer_OfZero_IsRefused()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Account(silo, _alice).Transfer(NewEntryId(), NewAddress(), UInt128.Zero));

        Assert.Contains("more than zero", error.Message, StringComparison.Ordinal);
        Assert.Equal("amount", error.ParamName);
    }

    [Fact]
    public async Task Stake_OfZero_IsRefused()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Account(silo, _alice).Stake(NewEntryId(), UInt128.Zero));

        Assert.Contains("more than zero", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_ToItself_IsRefused()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Account(silo, _alice).Transfer(NewEntryId(), _alice, 1));

        Assert.Contains("must be another account than", error.Message, StringComparison.Ordinal);
        Assert.Equal("to", error.ParamName);
    }

    [Theory]
    [InlineData("0xABCDEF0123456789ABCDEF0123456789ABCDEF01")]
    [InlineData("supply")]
    [InlineData("")]
    public async Task Transfer_ToSomethingThatIsNotAnAccount_IsRefusedNamingTheRule(string to)
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Account(silo, _alice).Transfer(NewEntryId(), to, 1));

        Assert.StartsWith("The receiving account must be \"treasury\" or an EVM address", error.Message, StringComparison.Ordinal);
        Assert.Contains("LedgerAccounts.Normalize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slash_ToItself_IsRefused()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Account(silo, _alice).Slash(NewEntryId(), 1, _alice));

        Assert.StartsWith("A slash's beneficiary must be another account", error.Message, StringComparison.Ordinal);
        Assert.Equal("beneficiary", error.ParamName);
    }

    [Fact]
    public async Task Mint_ToTheSupply_IsRefused()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Supply(silo).Mint(NewEntryId(), LedgerAccounts.Supply, 1));

        Assert.Equal("to", error.ParamName);
    }

    [Fact]
    public async Task Mint_PastTheLargestAmount_IsRefusedAndChangesNothing()
    {
        var silo = await StartSiloAsync();
        await Supply(silo).Mint(NewEntryId(), _alice, UInt128.MaxValue);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Supply(silo).Mint(NewEntryId(), NewAddress(), 1));

        Assert.Contains("past", error.Message, StringComparison.Ordinal);
        Assert.Equal(UInt128.MaxValue, (await Supply(silo).GetSupply()).Minted);
    }

    [Theory]
    [InlineData("no-source")]
    [InlineData("alice:entry")]
    [InlineData("treasury:")]
    public async Task Credit_WhoseIdDoesNotNameASource_IsRefused(string creditId)
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Account(silo, _alice).Credit(creditId, 1));

        Assert.StartsWith("A credit's entry id must be '{source}:{entry id}'", error.Message, StringComparison.Ordinal);
        Assert.Null(await StoredStateAsync<AccountState>(silo, AccountId(_alice)));
    }

    [Fact]
    public async Task Credit_FromTheAccountItself_IsRefused()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Account(silo, _alice).Credit(LedgerEntries.CreditId(_alice, "e1"), 1));

        Assert.Contains("another ledger grain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordBurn_FromTheSupplyItself_IsRefused()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Supply(silo).RecordBurn(LedgerEntries.CreditId(LedgerAccounts.Supply, "e1"), 1));

        Assert.Contains("another ledger grain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credit_DeliveredTwice_IsCountedOnce()
    {
        var silo = await StartSiloAsync();
        var creditId = LedgerEntries.CreditId(LedgerAccounts.Supply, NewEntryId());

        var first = await Account(silo, _alice).Credit(creditId, 5);
        var again = await Account(silo, _alice).Credit(creditId, 5);

        Assert.Equal((EntryStatus.Applied, EntryStatus.AlreadyApplied), (first.Status, again.Status));
        Assert.Equal((UInt128)5, (await Account(silo, _alice).GetAccount()).Balance);
    }

    [Fact]
    public async Task Credits_WithTheSameEntryIdFromTwoSources_AreBothCounted()
    {
        var silo = await StartSiloAsync();
        var (bob, carol) = (NewAddress(), NewAddress());
        await FundAsync(silo, bob, 10);
        await FundAsync(silo, carol, 10);

        var fromBob = await Account(silo, bob).Transfer("invoice-7", _alice, 3);
        var fromCarol = await Account(silo, carol).Transfer("invoice-7", _alice, 4);

        Assert.Equal((EntryStatus.Applied, EntryStatus.Applied), (fromBob.Status, fromCarol.Status));
        Assert.Equal((UInt128)7, (await Account(silo, _alice).GetAccount()).Balance);
    }
}
