using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Protocol.Tests.Wire;

/// <summary>The wallet binding is laid out and signed as docs/PROTOCOL.md ("Fees") says, and only the right binding verifies.</summary>
public sealed class WalletBindingTests
{
    private const string Mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    private const string Wallet = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
    private const string Identity = "6a8a1a8fbf5f9186a336e1bc6b3748c495af17b612dce394880463df3a34eb2f";

    // Computed independently of this code base, with @noble/curves' secp256k1 (RFC 6979, low s) and @noble/hashes'
    // Keccak-256 over the EIP-191 personal message, from the mnemonic's wallet key at m/44'/60'/0'/0/0.
    private const string VectorSignature =
        "20c949c1ddaa852bc81d6ed5350d1aad1efc571c272236b5ebe109043837e64d7030c3299c459241fe1f3bdab732e5fabad1f212406df9adb402782ae48f3f881b";

    [Fact]
    public void Message_IsLabelIdentityWallet()
    {
        var message = WalletBinding.Message(PublicKey.Parse(Identity), Wallet);

        Assert.Equal(
            "69636861742d77616c6c65742d62696e64696e672d763100" // "ichat-wallet-binding-v1" and a zero byte
            + Identity
            + "9858effd232b4033e47d90003d41ec34ecaeda94",
            Convert.ToHexStringLower(message));
    }

    [Fact]
    public void Create_FromTheVectorMnemonic_GivesTheVectorSignature()
    {
        using var wallet = EvmWallet.FromMnemonic(Mnemonic);
        using var keys = ChatKeys.FromMnemonic(Mnemonic);

        var binding = WalletBinding.Create(wallet, keys.Identity);

        Assert.Equal((Identity, Wallet), (binding.Identity.ToString(), binding.Wallet));
        Assert.Equal(VectorSignature, Convert.ToHexStringLower(binding.Signature));
        Assert.True(binding.Verify());
    }

    [Fact]
    public void Verify_TheVector_InAnyCaseOfTheWallet_IsTrue()
    {
        Assert.True(WalletBinding.Verify(PublicKey.Parse(Identity), Wallet, Convert.FromHexString(VectorSignature)));
        Assert.True(WalletBinding.Verify(PublicKey.Parse(Identity), Wallet.ToLowerInvariant(), Convert.FromHexString(VectorSignature)));
    }

    [Fact]
    public void Verify_AnotherWallet_IsFalseAndNamesTheSigner()
    {
        var other = "0x" + new string('1', 40);

        var verified = WalletBinding.TryVerify(PublicKey.Parse(Identity), other, Convert.FromHexString(VectorSignature), out var binding, out var error);

        Assert.False(verified);
        Assert.Null(binding);
        Assert.StartsWith("The wallet binding does not verify: it was signed by 0x", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AnotherIdentity_IsFalse()
    {
        using var stranger = ChatKeys.FromMnemonic(Bip39.Generate());

        Assert.False(WalletBinding.Verify(stranger.Identity, Wallet, Convert.FromHexString(VectorSignature)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(63)]
    public void Verify_ATamperedSignatureByte_IsFalse(int index)
    {
        var signature = Convert.FromHexString(VectorSignature);
        signature[index] ^= 0x01;

        Assert.False(WalletBinding.Verify(PublicKey.Parse(Identity), Wallet, signature));
    }

    [Fact]
    public void Verify_TheOtherRecoveryId_IsFalse()
    {
        var signature = Convert.FromHexString(VectorSignature);
        signature[^1] = (byte)(signature[^1] == 27 ? 28 : 27);

        Assert.False(WalletBinding.Verify(PublicKey.Parse(Identity), Wallet, signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("9858EfFD232B4033E47d90003D41EC34EcaEda94")]
    [InlineData("0x9858EfFD")]
    [InlineData("0xzz58EfFD232B4033E47d90003D41EC34EcaEda94")]
    public void Verify_AMalformedWallet_IsFalseWithoutThrowing(string? wallet)
    {
        Assert.False(WalletBinding.TryVerify(PublicKey.Parse(Identity), wallet, Convert.FromHexString(VectorSignature), out _, out var error));
        Assert.Equal("'wallet' must be an EVM address: 0x and 40 hex characters.", error);
    }

    [Fact]
    public void Verify_ASignatureOfTheWrongLength_IsFalseSayingSo()
    {
        Assert.False(WalletBinding.TryVerify(PublicKey.Parse(Identity), Wallet, new byte[64], out _, out var error));
        Assert.Equal("'walletSignature' must be 65 bytes (r ‖ s ‖ v), base64-encoded; it has 64.", error);
    }

    [Fact]
    public void Message_AMalformedWallet_Throws()
    {
        Assert.Throws<ArgumentException>(() => WalletBinding.Message(PublicKey.Parse(Identity), "0x1234"));
    }
}
