using System.Text;
using System.Text.Json;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Runtime.State;

namespace NexusOrleans.Grains.Tests.Ledger;

/// <summary>How ledger state is stored (every digit of a 128-bit amount kept) and how credit ids are formed.</summary>
public sealed class LedgerFormatTests
{
    private static readonly JsonGrainStateSerializer Serializer = new();

    [Fact]
    public void AccountState_RoundTripsTheLargestAmountsExactly()
    {
        var state = new AccountState { Balance = UInt128.MaxValue, Stake = UInt128.MaxValue - 1 };
        state.Applied.Add("e1");
        state.Received.Add("supply:e0");
        state.Outbox.Add(new PendingCredit("e1", "treasury", UInt128.MaxValue));

        var stored = Serializer.Serialize(state);
        var read = Serializer.Deserialize<AccountState>(stored);

        Assert.Contains("\"Balance\":340282366920938463463374607431768211455", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal((UInt128.MaxValue, UInt128.MaxValue - 1), (read.Balance, read.Stake));
        Assert.Equal(["e1"], read.Applied);
        Assert.Equal(["supply:e0"], read.Received);
        Assert.Equal(new PendingCredit("e1", "treasury", UInt128.MaxValue), Assert.Single(read.Outbox));
    }

    [Fact]
    public void SupplyState_RoundTrips()
    {
        var read = Serializer.Deserialize<SupplyState>(Serializer.Serialize(new SupplyState { Minted = Tokens.Whole(1_000_000_000), Burned = 7, OutboxReminderRegistered = true }));

        Assert.Equal((Tokens.Whole(1_000_000_000), (UInt128)7, true), (read.Minted, read.Burned, read.OutboxReminderRegistered));
    }

    [Fact]
    public void AnAmountStoredAsANegativeNumber_FailsToRead()
    {
        Assert.ThrowsAny<JsonException>(() => Serializer.Deserialize<AccountState>("""{"Balance":-1}"""u8));
    }

    [Fact]
    public void CreditId_NamesTheSourceBeforeTheEntryId_AndParsesBack()
    {
        var address = "0x" + new string('a', 40);

        var creditId = LedgerEntries.CreditId(address, "epoch:7:reward");
        var parsed = LedgerEntries.TryParseCreditId(creditId, out var source, out var entryId);

        Assert.Equal($"{address}:epoch:7:reward", creditId);
        Assert.True(parsed);
        Assert.Equal((address, "epoch:7:reward"), (source, entryId));
    }

    [Theory]
    [InlineData("supply:", false)]
    [InlineData(":e1", false)]
    [InlineData("Supply:e1", false)]
    [InlineData("supply:e1", true)]
    [InlineData("treasury:e1", true)]
    public void TryParseCreditId_AcceptsOnlyAKnownSourceAndAValidEntryId(string creditId, bool expected)
        => Assert.Equal(expected, LedgerEntries.TryParseCreditId(creditId, out _, out _));

    [Fact]
    public void CreditId_FromAnUnknownSource_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => LedgerEntries.CreditId("bank", "e1"));

        Assert.Equal("source", error.ParamName);
    }
}
