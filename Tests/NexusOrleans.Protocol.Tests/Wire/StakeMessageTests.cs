using System.Globalization;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Protocol.Tests.Wire;

/// <summary>The stake and unstake messages are laid out byte for byte as docs/PROTOCOL.md ("Staking") says, and sign as any wallet would.</summary>
public sealed class StakeMessageTests
{
    private const string AbandonAbout = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    private const string Account = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
    private const ulong IssuedAt = 1767225600123;

    // 1,000,000 iChat = 10^24 base units.
    private static readonly UInt128 OneMillion = UInt128.Parse("1000000000000000000000000", CultureInfo.InvariantCulture);

    // The worked example of docs/PROTOCOL.md: personal_sign of the stake message above by the abandon…about wallet, as
    // @ethereumjs/util 8.1.0 makes it (hashPersonalMessage, then ecsign, RFC 6979 as well); the entry id likewise.
    private const string WorkedExampleSignature =
        "2a655683090e2a88bfd361df7596ed49899c6e47040b1b60f18edfb2354f522b1df2bad9f63902b8e2283a44222d5cc9b8d2677a59a1358dc48257fbe388ac261c";

    [Fact]
    public void Stake_IsLabelAccountAmountIssuedAt()
    {
        var message = StakeMessage.Build(StakeAction.Stake, Account, OneMillion, IssuedAt);

        Assert.Equal(
            "69636861742d7374616b652d763100"
            + " 9858effd232b4033e47d90003d41ec34ecaeda94"
            + " 00000000000000000000000000000000000000000000d3c21bcecceda1000000"
            + " 0000019b76daa87b",
            Split(message, 15));
    }

    [Fact]
    public void Unstake_IsTheSameAfterItsOwnLabel()
    {
        var message = StakeMessage.Build(StakeAction.Unstake, Account, UInt128.One, IssuedAt);

        Assert.Equal(
            "69636861742d756e7374616b652d763100"
            + " 9858effd232b4033e47d90003d41ec34ecaeda94"
            + " 0000000000000000000000000000000000000000000000000000000000000001"
            + " 0000019b76daa87b",
            Split(message, 17));
    }

    [Fact]
    public void Build_AccountInAnyCase_GivesTheSameBytes()
    {
        Assert.Equal(
            StakeMessage.Build(StakeAction.Stake, Account, OneMillion, IssuedAt),
            StakeMessage.Build(StakeAction.Stake, Account.ToLowerInvariant(), OneMillion, IssuedAt));
    }

    [Theory]
    [InlineData("9858EfFD232B4033E47d90003D41EC34EcaEda94")]
    [InlineData("0x9858EfFD")]
    [InlineData("0xzz58EfFD232B4033E47d90003D41EC34EcaEda94")]
    public void Build_MalformedAccount_ThrowsNamingTheAccount(string account)
    {
        var error = Assert.Throws<ArgumentException>(() => StakeMessage.Build(StakeAction.Stake, account, OneMillion, IssuedAt));

        Assert.Equal("account", error.ParamName);
    }

    [Fact]
    public void Build_ZeroAmount_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => StakeMessage.Build(StakeAction.Unstake, Account, UInt128.Zero, IssuedAt));

        Assert.StartsWith("The amount to unstake must be more than zero base units", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignPersonalMessage_ByTheAccountsWallet_RecoversToTheAccount()
    {
        using var wallet = EvmWallet.FromMnemonic(Bip39.Generate());
        var message = StakeMessage.Build(StakeAction.Stake, wallet.Address, OneMillion, IssuedAt);

        var signature = wallet.SignPersonalMessage(message);

        Assert.Equal(wallet.Address, EvmSignatures.RecoverPersonalMessageSigner(message, signature));
    }

    [Fact]
    public void SignPersonalMessage_WorkedExample_GivesTheDocumentedSignature()
    {
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout);

        var signature = wallet.SignPersonalMessage(StakeMessage.Build(StakeAction.Stake, Account, OneMillion, IssuedAt));

        Assert.Equal(WorkedExampleSignature, Convert.ToHexStringLower(signature));
    }

    [Fact]
    public void Signature_OfAStake_DoesNotVerifyTheUnstakeOfTheSameAmount()
    {
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout);
        var signature = wallet.SignPersonalMessage(StakeMessage.Build(StakeAction.Stake, Account, OneMillion, IssuedAt));

        var recovered = EvmSignatures.RecoverPersonalMessageSigner(StakeMessage.Build(StakeAction.Unstake, Account, OneMillion, IssuedAt), signature);

        Assert.NotEqual(Account, recovered);
    }

    [Fact]
    public void EntryId_IsTheActionAndTheKeccakOfTheMessage()
    {
        var message = StakeMessage.Build(StakeAction.Stake, Account, OneMillion, IssuedAt);

        var entryId = StakeMessage.EntryId(StakeAction.Stake, message);

        Assert.Equal("stake:" + Convert.ToHexStringLower(Keccak.Hash256(message)), entryId);
        Assert.Equal("stake:c5a49e2c87da3227616379d2126ba6fd9b37c529294e63724a1890d5afb3e16a", entryId);
    }

    [Fact]
    public void EntryId_OneMillisecondLater_IsAnotherEntry()
    {
        var first = StakeMessage.EntryId(StakeAction.Stake, StakeMessage.Build(StakeAction.Stake, Account, OneMillion, IssuedAt));

        var second = StakeMessage.EntryId(StakeAction.Stake, StakeMessage.Build(StakeAction.Stake, Account, OneMillion, IssuedAt + 1));

        Assert.NotEqual(first, second);
    }

    // The label's hex, then the fields separated by spaces, so the expected values above read field by field.
    private static string Split(byte[] message, int labelBytes)
    {
        var hex = Convert.ToHexStringLower(message);
        var label = labelBytes * 2;
        return $"{hex[..label]} {hex[label..(label + 40)]} {hex[(label + 40)..(label + 104)]} {hex[(label + 104)..]}";
    }
}
