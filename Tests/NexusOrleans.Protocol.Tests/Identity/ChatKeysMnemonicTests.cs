using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class ChatKeysMnemonicTests
{
    private const string AbandonAbout = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    [Fact]
    public void DerivationPathFor_Account_FillsTheChatPath()
    {
        Assert.Equal("m/44'/7337'/0'/0'/0'", ChatKeys.DerivationPathFor(0));
        Assert.Equal("m/44'/7337'/5'/0'/0'", ChatKeys.DerivationPathFor(5));
        Assert.Equal("m/44'/7337'/2147483647'/0'/0'", ChatKeys.DerivationPathFor(int.MaxValue));
    }

    [Fact]
    public void FromMnemonic_SameMnemonicTwice_GivesTheSameIdentity()
    {
        using var first = ChatKeys.FromMnemonic(AbandonAbout);
        using var second = ChatKeys.FromMnemonic(AbandonAbout.ToUpperInvariant());
        Assert.Equal(first.Identity, second.Identity);
    }

    [Fact]
    public void FromMnemonic_IsSlip10AtTheChatPathOfTheBip39Seed()
    {
        var seed = Bip39.ToSeed(AbandonAbout, "TREZOR");
        using var expectedKey = Slip10.DeriveEd25519(seed, "m/44'/7337'/2'/0'/0'");
        using var expected = ChatKeys.FromEd25519Seed(expectedKey.PrivateKey);

        using var fromMnemonic = ChatKeys.FromMnemonic(AbandonAbout, "TREZOR", account: 2);
        using var fromSeed = ChatKeys.FromSeed(seed, account: 2);

        Assert.Equal(expected.Identity, fromMnemonic.Identity);
        Assert.Equal(expected.Identity, fromSeed.Identity);
    }

    [Fact]
    public void FromMnemonic_OtherAccountOrPassphrase_GivesUnrelatedIdentities()
    {
        using var plain = ChatKeys.FromMnemonic(AbandonAbout);
        using var otherAccount = ChatKeys.FromMnemonic(AbandonAbout, account: 1);
        using var withPassphrase = ChatKeys.FromMnemonic(AbandonAbout, "TREZOR");
        Assert.Equal(3, new[] { plain.Identity, otherAccount.Identity, withPassphrase.Identity }.Distinct().Count());
    }

    [Fact]
    public void FromMnemonic_KeysSignAndAgreeWithAnotherUser()
    {
        using var alice = ChatKeys.FromMnemonic(AbandonAbout);
        using var bob = ChatKeys.FromMnemonic(Bip39.Generate(256));
        var message = "hello"u8.ToArray();
        Assert.True(alice.Identity.Verify(message, alice.Sign(message)));

        Span<byte> aliceShared = stackalloc byte[Sodium.BoxSharedKeyBytes];
        Span<byte> bobShared = stackalloc byte[Sodium.BoxSharedKeyBytes];
        Assert.True(alice.TryGetSharedKey(bob.Identity, aliceShared));
        Assert.True(bob.TryGetSharedKey(alice.Identity, bobShared));
        Assert.Equal(aliceShared.ToArray(), bobShared.ToArray());
    }

    [Fact]
    public void FromMnemonic_UnknownWord_ThrowsInvalidMnemonicExceptionNamingIt()
    {
        var error = Assert.Throws<InvalidMnemonicException>(() => ChatKeys.FromMnemonic(AbandonAbout.Replace("about", "abowt", StringComparison.Ordinal)));
        Assert.Equal(12, error.WordPosition);
        Assert.Contains("'abowt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMnemonic_NegativeAccount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChatKeys.FromMnemonic(AbandonAbout, account: -1));
    }
}
