using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class DidKeyTests
{
    /// <summary>The W3C CCG did:key test vectors: Ed25519 seed, did:key, public key and X25519 key, both base58.</summary>
    public static TheoryData<string, string, string, string> SeedVectors()
    {
        var rows = new TheoryData<string, string, string, string>();
        foreach (var vector in VectorFiles.Load("did-key-ed25519.json").GetProperty("fromSeed").EnumerateArray())
        {
            rows.Add(vector.Text("seed"), vector.Text("did"), vector.Text("publicKeyBase58"), vector.Text("x25519PublicKeyBase58"));
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(SeedVectors))]
    public void ToDidKey_KeyOfPublishedSeed_GivesPublishedDidAndKeys(string seed, string did, string publicKeyBase58, string x25519PublicKeyBase58)
    {
        using var keys = ChatKeys.FromEd25519Seed(Convert.FromHexString(seed));
        Span<byte> x25519 = stackalloc byte[Sodium.BoxPublicKeyBytes];
        Assert.True(keys.Identity.TryGetEncryptionKey(x25519));

        Assert.Equal(publicKeyBase58, Base58.Encode(keys.Identity.Bytes));
        Assert.Equal(did, keys.Identity.ToDidKey());
        Assert.Equal(x25519PublicKeyBase58, Base58.Encode(x25519));
    }

    [Theory]
    [MemberData(nameof(SeedVectors))]
    public void FromDidKey_PublishedDid_GivesThePublishedKey(string seed, string did, string publicKeyBase58, string x25519PublicKeyBase58)
    {
        _ = seed;
        _ = x25519PublicKeyBase58;
        Assert.Equal(Base58.Decode(publicKeyBase58), PublicKey.FromDidKey(did).Bytes.ToArray());
    }

    [Fact]
    public void FromDidKey_SpecificationExample_GivesItsPublicKey()
    {
        var example = VectorFiles.Load("did-key-ed25519.json").GetProperty("fromPublicKey")[0];
        var key = PublicKey.FromDidKey(example.Text("did"));
        Assert.Equal(example.Text("publicKeyBase58"), Base58.Encode(key.Bytes));
        Assert.Equal(example.Text("did"), key.ToDidKey());
    }

    [Fact]
    public void FromDidKey_WellFormedDid_RoundTrips()
    {
        const string did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
        Assert.Equal(did, PublicKey.FromDidKey(did).ToDidKey());
    }

    [Fact]
    public void ToDidKey_AnyKey_RoundTripsAndStartsWithZ6Mk()
    {
        for (var i = 0; i < 32; i++)
        {
            var bytes = new byte[PublicKey.Length];
            Sodium.RandomBytes(bytes);
            bytes[0] = (byte)i; // include keys with small leading bytes
            var key = PublicKey.FromBytes(bytes);
            var did = key.ToDidKey();
            Assert.StartsWith("did:key:z6Mk", did, StringComparison.Ordinal);
            Assert.Equal(key, PublicKey.FromDidKey(did));
        }
    }

    [Theory]
    [InlineData("", "was empty")]
    [InlineData("did:web:example.com", "starts with 'did:key:'")]
    [InlineData("DID:KEY:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "starts with 'did:key:'")]
    [InlineData("did:key:", "multibase prefix 'z'")]
    [InlineData("did:key:u7QE", "multibase prefix 'z'")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0", "('0') is not base58")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "DID URL")]
    [InlineData("did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW", "multicodec is 0xec (X25519 public key)")]
    public void FromDidKey_Malformed_ThrowsSayingWhatIsWrong(string did, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PublicKey.FromDidKey(did));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(PublicKey.TryFromDidKey(did, out _));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    public void FromDidKey_WrongKeyLength_ThrowsSayingTheLength(int length)
    {
        var did = "did:key:z" + Base58.Encode([0xed, 0x01, .. new byte[length]]);
        var error = Assert.Throws<FormatException>(() => PublicKey.FromDidKey(did));
        Assert.Contains($"carries 32 key bytes after its multicodec; this one carries {length}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDidKey_Secp256k1Multicodec_ThrowsNamingTheCodec()
    {
        var did = "did:key:z" + Base58.Encode([0xe7, 0x01, 0x02, .. new byte[32]]);
        var error = Assert.Throws<FormatException>(() => PublicKey.FromDidKey(did));
        Assert.Contains("multicodec is 0xe7 (secp256k1 public key), not 0xed (Ed25519 public key)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryFromDidKey_Null_IsFalseAndGivesNoKey()
    {
        Assert.False(PublicKey.TryFromDidKey(null, out var key));
        Assert.Throws<InvalidOperationException>(() => key.Bytes.Length);
    }
}
