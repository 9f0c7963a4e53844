using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class Slip10Tests
{
    /// <summary>Every chain of docs/vectors/slip10-ed25519.json: seed, path, chain code, private key, public key (00-prefixed).</summary>
    public static TheoryData<string, string, string, string, string> PublishedChains()
    {
        var rows = new TheoryData<string, string, string, string, string>();
        foreach (var vector in VectorFiles.Load("slip10-ed25519.json").GetProperty("vectors").EnumerateArray())
        {
            foreach (var chain in vector.GetProperty("chains").EnumerateArray())
            {
                rows.Add(vector.Text("seed"), chain.Text("path"), chain.Text("chainCode"), chain.Text("privateKey"), chain.Text("publicKey"));
            }
        }

        return rows;
    }

    [Fact]
    public void VectorFile_BothPublishedEd25519Vectors_HaveSixChainsEach()
    {
        var vectors = VectorFiles.Load("slip10-ed25519.json").GetProperty("vectors");
        Assert.Equal(2, vectors.GetArrayLength());
        Assert.All(vectors.EnumerateArray(), vector => Assert.Equal(6, vector.GetProperty("chains").GetArrayLength()));
    }

    [Theory]
    [MemberData(nameof(PublishedChains))]
    public void DeriveEd25519_PublishedChain_GivesPublishedChainCodeAndPrivateKey(string seed, string path, string chainCode, string privateKey, string publicKey)
    {
        _ = publicKey;
        using var key = Slip10.DeriveEd25519(Convert.FromHexString(seed), path);
        Assert.Equal(chainCode, Convert.ToHexStringLower(key.ChainCode));
        Assert.Equal(privateKey, Convert.ToHexStringLower(key.PrivateKey));
    }

    [Theory]
    [MemberData(nameof(PublishedChains))]
    public void DeriveEd25519_PublishedChain_PrivateKeyGivesPublishedPublicKeyInLibsodium(string seed, string path, string chainCode, string privateKey, string publicKey)
    {
        _ = chainCode;
        _ = privateKey;
        using var key = Slip10.DeriveEd25519(Convert.FromHexString(seed), path);
        Span<byte> ed25519PublicKey = stackalloc byte[Sodium.SignPublicKeyBytes];
        Span<byte> secretKey = stackalloc byte[Sodium.SignSecretKeyBytes];
        Sodium.SignSeedKeyPair(key.PrivateKey, ed25519PublicKey, secretKey);
        Assert.Equal(publicKey, "00" + Convert.ToHexStringLower(ed25519PublicKey));
    }

    [Fact]
    public void DeriveEd25519_HardenedMarkersWrittenHOrApostrophe_GiveTheSameKey()
    {
        var seed = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        using var apostrophes = Slip10.DeriveEd25519(seed, "m/0'/1'/2'");
        using var letters = Slip10.DeriveEd25519(seed, "m/0h/1H/2h");
        Assert.Equal(apostrophes.PrivateKey.ToArray(), letters.PrivateKey.ToArray());
    }

    [Fact]
    public void DeriveEd25519_NormalIndex_ThrowsNamingTheSegmentAndTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => Slip10.DeriveEd25519(new byte[64], "m/44'/7337'/0'/0/0'"));
        Assert.Equal("path", error.ParamName);
        Assert.Contains("hardened indices only", error.Message, StringComparison.Ordinal);
        Assert.Contains("segment 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("write 0'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(65)]
    [InlineData(0)]
    public void DeriveEd25519_SeedOfWrongLength_ThrowsSayingTheAllowedLengths(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => Slip10.DeriveEd25519(new byte[length], "m/0'"));
        Assert.Contains("16 to 64 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtendedPrivateKey_AfterDispose_IsWipedAndRefusesAccess()
    {
        var key = Slip10.DeriveEd25519(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"), "m/0'");
        Assert.DoesNotContain(Convert.ToHexStringLower(key.PrivateKey), key.ToString(), StringComparison.Ordinal);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.PrivateKey.Length);
        Assert.Throws<ObjectDisposedException>(() => key.ChainCode.Length);
    }
}
