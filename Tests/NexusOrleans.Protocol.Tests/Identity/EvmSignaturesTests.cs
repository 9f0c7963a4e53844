using System.Globalization;
using System.Text;
using NexusOrleans.Protocol.Identity;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BigInteger = System.Numerics.BigInteger;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class EvmSignaturesTests
{
    private const string AbandonAbout = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    private const string AbandonAboutAddress = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";

    // web3.js documentation, web3.eth.accounts.sign('Some data', key); @noble/curves gives the same bytes.
    private const string Web3Key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private const string Web3Address = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
    private const string Web3MessageHash = "1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655";
    private const string Web3Signature =
        "b91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";

    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber);
    private static readonly BigInteger FieldPrime = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", NumberStyles.HexNumber);

    private static byte[] SomeData => "Some data"u8.ToArray();

    [Fact]
    public void PersonalMessageHash_SomeData_IsTheWeb3DocumentationHash()
    {
        Assert.Equal(Web3MessageHash, Convert.ToHexStringLower(EvmSignatures.PersonalMessageHash(SomeData)));
    }

    [Fact]
    public void SignPersonalMessage_Web3DocumentationKey_GivesThePublishedSignature()
    {
        using var wallet = EvmWallet.FromPrivateKey(Convert.FromHexString(Web3Key));

        Assert.Equal(Web3Address, wallet.Address);
        Assert.Equal(Web3Signature, Convert.ToHexStringLower(wallet.SignPersonalMessage(SomeData)));
    }

    [Fact]
    public void RecoverPersonalMessageSigner_Web3DocumentationSignature_GivesTheKeysAddress()
    {
        Assert.Equal(Web3Address, EvmSignatures.RecoverPersonalMessageSigner(SomeData, Convert.FromHexString(Web3Signature)));
    }

    [Fact]
    public void SignPersonalMessage_AbandonAboutWallet_RecoversToTheWalletAddress()
    {
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout);
        var message = Encoding.UTF8.GetBytes("relay 0x9858 claims epoch 2026-01-01T00 — ünïcödé");

        var signature = wallet.SignPersonalMessage(message);

        Assert.Equal(EvmSignatures.SignatureBytes, signature.Length);
        Assert.Equal(AbandonAboutAddress, EvmSignatures.RecoverPersonalMessageSigner(message, signature));
    }

    [Fact]
    public void SignPersonalMessage_AbandonAboutWallet_GivesTheSignatureNobleCurvesGives()
    {
        // @noble/curves 1.9.0 (through ethereum-cryptography 3.2.0, in interop/node_modules): secp256k1.sign(hash, key).
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout);

        var signature = wallet.SignPersonalMessage(Encoding.UTF8.GetBytes("relay 0x9858 claims epoch 2026-01-01T00 — ünïcödé"));

        Assert.Equal(
            "cfc7e5c442df60f2978b35f0ce04f80ce225be9f15e0ab7816d108463fbed6a50a54dbaa12e2aca2337d882aaedefe6cf9dc58ac1b5b24dd52c865374dbcd58e1c",
            Convert.ToHexStringLower(signature));
    }

    [Fact]
    public void RecoverPersonalMessageSigner_MessageChangedAfterSigning_GivesAnotherAddress()
    {
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout);
        var signature = wallet.SignPersonalMessage("pay 100"u8);

        var recovered = EvmSignatures.RecoverPersonalMessageSigner("pay 900"u8, signature);

        Assert.NotEqual(AbandonAboutAddress, recovered);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(63)]
    public void RecoverSigner_OneBitOfROrSFlipped_IsNotTheSigner(int index)
    {
        var signature = Convert.FromHexString(Web3Signature);
        signature[index] ^= 0x01;

        var recovered = EvmSignatures.RecoverPersonalMessageSigner(SomeData, signature);

        Assert.NotEqual(Web3Address, recovered);
    }

    [Fact]
    public void RecoverSigner_OtherRecoveryId_IsNotTheSigner()
    {
        var signature = Convert.FromHexString(Web3Signature);
        signature[^1] = signature[^1] == 27 ? (byte)28 : (byte)27;

        Assert.NotEqual(Web3Address, EvmSignatures.RecoverPersonalMessageSigner(SomeData, signature));
    }

    [Fact]
    public void RecoverSigner_HighSTwinOfAValidSignature_ReturnsNull()
    {
        var hash = EvmSignatures.PersonalMessageHash(SomeData);
        var signature = Convert.FromHexString(Web3Signature);
        var twin = signature.ToArray();
        WriteScalar(Order - ReadScalar(signature.AsSpan(32, 32)), twin.AsSpan(32, 32));
        twin[^1] = signature[^1] == 27 ? (byte)28 : (byte)27;

        // The twin is a valid plain ECDSA signature of the same hash by the same key: only EIP-2's rule refuses it.
        Assert.True(VerifiesWithoutLowSRule(Convert.FromHexString(Web3Key), hash, twin));
        Assert.Null(EvmSignatures.RecoverSigner(hash, twin));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    [InlineData(66)]
    public void RecoverSigner_WrongLength_ReturnsNull(int length)
    {
        var signature = new byte[length];
        Convert.FromHexString(Web3Signature).AsSpan(0, Math.Min(length, EvmSignatures.SignatureBytes)).CopyTo(signature);

        Assert.Null(EvmSignatures.RecoverPersonalMessageSigner(SomeData, signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(29)]
    [InlineData(255)]
    public void RecoverSigner_VOtherThan27Or28_ReturnsNull(int v)
    {
        var signature = Convert.FromHexString(Web3Signature);
        signature[^1] = (byte)v;

        Assert.Null(EvmSignatures.RecoverPersonalMessageSigner(SomeData, signature));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RecoverSigner_ZeroROrS_ReturnsNull(bool zeroR)
    {
        var signature = Convert.FromHexString(Web3Signature);
        signature.AsSpan(zeroR ? 0 : 32, 32).Clear();

        Assert.Null(EvmSignatures.RecoverPersonalMessageSigner(SomeData, signature));
    }

    [Fact]
    public void RecoverSigner_RAtOrAboveTheOrder_ReturnsNull()
    {
        var signature = Convert.FromHexString(Web3Signature);
        WriteScalar(Order, signature.AsSpan(0, 32));

        Assert.Null(EvmSignatures.RecoverPersonalMessageSigner(SomeData, signature));
    }

    [Fact]
    public void RecoverSigner_RThatIsNoCurvePointsX_ReturnsNull()
    {
        // The smallest x for which x³ + 7 is not a square mod p: no point has it, so nothing can be recovered.
        var x = BigInteger.One;
        while (BigInteger.ModPow(x * x * x + 7, (FieldPrime - 1) / 2, FieldPrime).IsOne)
        {
            x++;
        }

        var signature = Convert.FromHexString(Web3Signature);
        WriteScalar(x, signature.AsSpan(0, 32));

        Assert.Null(EvmSignatures.RecoverPersonalMessageSigner(SomeData, signature));
    }

    [Fact]
    public void SignHash_ManyHashes_AlwaysLowSAndRecoverableAndDeterministic()
    {
        using var wallet = EvmWallet.FromMnemonic(AbandonAbout);
        var random = new Random(20260101);
        var hash = new byte[32];
        for (var i = 0; i < 64; i++)
        {
            random.NextBytes(hash);

            var signature = wallet.SignHash(hash);

            Assert.True(ReadScalar(signature.AsSpan(32, 32)) <= Order / 2, $"hash {Convert.ToHexStringLower(hash)} was signed with a high s");
            Assert.Equal(signature, wallet.SignHash(hash));
            Assert.Equal(AbandonAboutAddress, EvmSignatures.RecoverSigner(hash, signature));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void SignHash_HashNot32Bytes_ThrowsSayingTheLength(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => EvmSignatures.SignHash(Convert.FromHexString(Web3Key), new byte[length]));

        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecoverSigner_HashNot32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => EvmSignatures.RecoverSigner(new byte[31], Convert.FromHexString(Web3Signature)));
    }

    [Fact]
    public void SignHash_PrivateKeyZero_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => EvmSignatures.SignHash(new byte[32], new byte[32]));
    }

    [Fact]
    public void SignPersonalMessage_DisposedWallet_ThrowsObjectDisposed()
    {
        var wallet = EvmWallet.FromMnemonic(AbandonAbout);
        wallet.Dispose();

        Assert.Throws<ObjectDisposedException>(() => wallet.SignPersonalMessage(SomeData));
    }

    private static bool VerifiesWithoutLowSRule(byte[] privateKey, byte[] hash, byte[] signature)
    {
        var curve = SecNamedCurves.GetByName("secp256k1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var publicKey = new ECPublicKeyParameters(curve.G.Multiply(new BcBigInteger(1, privateKey)).Normalize(), domain);
        var verifier = new ECDsaSigner();
        verifier.Init(false, publicKey);
        return verifier.VerifySignature(hash, new BcBigInteger(1, signature, 0, 32), new BcBigInteger(1, signature, 32, 32));
    }

    private static BigInteger ReadScalar(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    private static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(destination[(destination.Length - bytes.Length)..]);
    }
}
