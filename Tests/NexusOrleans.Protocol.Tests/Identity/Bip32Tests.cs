using System.Security.Cryptography;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class Bip32Tests
{
    /// <summary>Every chain of docs/vectors/bip32-secp256k1.json (BIP32 test vectors 1 and 2).</summary>
    public static TheoryData<string, string, string, string, string> PublishedChains()
    {
        var rows = new TheoryData<string, string, string, string, string>();
        foreach (var vector in VectorFiles.Load("bip32-secp256k1.json").GetProperty("vectors").EnumerateArray())
        {
            foreach (var chain in vector.GetProperty("chains").EnumerateArray())
            {
                rows.Add(vector.Text("seed"), chain.Text("path"), chain.Text("chainCode"), chain.Text("privateKey"), chain.Text("publicKey"));
            }
        }

        return rows;
    }

    /// <summary>The BIP39 reference vectors' seeds with the master xprv published for each.</summary>
    public static TheoryData<string, string> Bip39MasterKeys()
    {
        var rows = new TheoryData<string, string>();
        foreach (var vector in VectorFiles.Load("bip39.json").GetProperty("english").EnumerateArray())
        {
            rows.Add(vector[2].GetString()!, vector[3].GetString()!);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(PublishedChains))]
    public void Derive_PublishedChain_GivesPublishedKeyChainCodeAndPublicKey(string seed, string path, string chainCode, string privateKey, string publicKey)
    {
        using var key = Bip32.Derive(Convert.FromHexString(seed), path);
        Assert.Equal(privateKey, Convert.ToHexStringLower(key.PrivateKey));
        Assert.Equal(chainCode, Convert.ToHexStringLower(key.ChainCode));
        Assert.Equal(publicKey, Convert.ToHexStringLower(Bip32.GetPublicKey(key.PrivateKey)));
    }

    [Theory]
    [MemberData(nameof(Bip39MasterKeys))]
    public void Derive_MasterOfBip39ReferenceSeed_SerialisesToPublishedXprv(string seed, string xprv)
    {
        using var master = Bip32.Derive(Convert.FromHexString(seed), "m");
        Assert.Equal(xprv, SerializeMasterXprv(master));
    }

    [Fact]
    public void GetPublicKey_Uncompressed_Is65BytesWithTheSameX()
    {
        var privateKey = Convert.FromHexString("e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35");
        var compressed = Bip32.GetPublicKey(privateKey);
        var uncompressed = Bip32.GetPublicKey(privateKey, compressed: false);
        Assert.Equal(65, uncompressed.Length);
        Assert.Equal(0x04, uncompressed[0]);
        Assert.Equal(compressed[1..], uncompressed[1..33]);
        Assert.Equal(compressed[0] == 0x03, (uncompressed[64] & 1) == 1);
    }

    [Fact]
    public void GetPublicKey_ZeroOrCurveOrderKey_IsRefused()
    {
        var order = Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        Assert.Throws<ArgumentException>(() => Bip32.GetPublicKey(new byte[32]));
        Assert.Throws<ArgumentException>(() => Bip32.GetPublicKey(order));
        Assert.Throws<ArgumentException>(() => Bip32.GetPublicKey(new byte[31]));
    }

    [Fact]
    public void Derive_MalformedPath_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Bip32.Derive(new byte[64], "m/44'/sixty'"));
    }

    /// <summary>BIP32 serialisation of a master private key: version, depth 0, no parent, index 0, chain code, 00 ‖ key, Base58Check.</summary>
    private static string SerializeMasterXprv(ExtendedPrivateKey master)
    {
        var payload = new byte[78];
        Convert.FromHexString("0488ade4").CopyTo(payload, 0);
        master.ChainCode.CopyTo(payload.AsSpan(13));
        master.PrivateKey.CopyTo(payload.AsSpan(46));
        var checksum = SHA256.HashData(SHA256.HashData(payload));
        return Base58.Encode([.. payload, .. checksum[..4]]);
    }
}
