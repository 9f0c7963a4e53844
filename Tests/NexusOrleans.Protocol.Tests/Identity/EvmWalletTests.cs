using System.Text;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class EvmWalletTests
{
    private const string AbandonAbout = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    [Fact]
    public void FromMnemonic_AbandonAboutWithoutPassphrase_GivesTheWellKnownFirstAddress()
    {
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout);
        Assert.Equal("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", wallet.Address);
    }

    [Fact]
    public void FromMnemonic_NextAccountIndex_GivesAnotherAddress()
    {
        using var first = EvmWallet.FromMnemonic(AbandonAbout);
        using var second = EvmWallet.FromMnemonic(AbandonAbout, accountIndex: 1);
        Assert.NotEqual(first.Address, second.Address);
        Assert.True(Eip55.HasValidChecksum(second.Address));
    }

    [Fact]
    public void FromMnemonic_SameAsBip32AtTheEvmPath()
    {
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout, "TREZOR", 3);
        using var key = Bip32.Derive(Bip39.ToSeed(AbandonAbout, "TREZOR"), "m/44'/60'/0'/0/3");
        Assert.Equal(key.PrivateKey.ToArray(), wallet.PrivateKey.ToArray());
        Assert.Equal("m/44'/60'/0'/0/3", EvmWallet.DerivationPathFor(3));
    }

    [Fact]
    public void FromMnemonic_InvalidMnemonic_ThrowsInvalidMnemonicException()
    {
        Assert.Throws<InvalidMnemonicException>(() => EvmWallet.FromMnemonic("abandon about"));
    }

    [Fact]
    public void FromMnemonic_NegativeAccountIndex_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EvmWallet.FromMnemonic(AbandonAbout, accountIndex: -1));
    }

    [Fact]
    public void ToString_ShowsTheAddressAndNotTheKey()
    {
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout);
        Assert.Equal(wallet.Address, wallet.ToString());
        Assert.DoesNotContain(Convert.ToHexStringLower(wallet.PrivateKey), wallet.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Dispose_WipesTheKeyAndRefusesAccess()
    {
        var wallet = EvmWallet.FromMnemonic(AbandonAbout);
        wallet.Dispose();
        Assert.Throws<ObjectDisposedException>(() => wallet.PrivateKey.Length);
        Assert.Equal("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", wallet.ToString());
    }

    [Fact]
    public void FromPrivateKey_KeyOfDerivedWallet_GivesSameAddress()
    {
        using var derived = EvmWallet.FromMnemonic(AbandonAbout);
        using var imported = EvmWallet.FromPrivateKey(derived.PrivateKey);
        Assert.Equal(derived.Address, imported.Address);
    }

    [Theory]
    // EIP-55's examples: all caps, all lower, and mixed ("normal") addresses.
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Eip55_PublishedExample_IsReproducedFromLowerCase(string example)
    {
        Assert.Equal(example, Eip55.ToChecksumAddress(example.ToLowerInvariant()));
        Assert.Equal(example, Eip55.ToChecksumAddress(Convert.FromHexString(example[2..])));
        Assert.True(Eip55.HasValidChecksum(example));
    }

    [Fact]
    public void Eip55_OneLetterInTheWrongCase_FailsTheChecksum()
    {
        Assert.False(Eip55.HasValidChecksum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        Assert.False(Eip55.HasValidChecksum("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
        Assert.False(Eip55.HasValidChecksum("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        Assert.False(Eip55.HasValidChecksum(null));
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("0xZZZeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("")]
    public void Eip55_NotAnAddress_ThrowsSayingTheShape(string text)
    {
        Assert.Contains("40 hex characters", Assert.Throws<FormatException>(() => Eip55.ToChecksumAddress(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keccak256_EmptyInput_IsEthereumsKeccakNotSha3()
    {
        // Keccak-256("") as Ethereum uses it; SHA3-256("") would be a7ffc6f8….
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Convert.ToHexStringLower(Keccak.Hash256([])));
    }

    [Fact]
    public void Keccak256_TransferSignature_GivesTheErc20Selector()
    {
        Assert.StartsWith("a9059cbb", Convert.ToHexStringLower(Keccak.Hash256(Encoding.ASCII.GetBytes("transfer(address,uint256)"))), StringComparison.Ordinal);
    }
}
