using System.Security.Cryptography;
using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Chain.Tests.Transactions;

/// <summary>Ethereum's hash is the original Keccak-256, not FIPS 202 SHA3-256; a mix-up would change every hash and address.</summary>
public sealed class KeccakTests
{
    [Fact]
    public void Hash256_EmptyInput_IsEthereumsKeccak() =>
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Convert.ToHexStringLower(Keccak.Hash256([])));

    [Fact]
    public void Hash256_EmptyInput_DiffersFromSha3()
    {
        const string sha3OfEmpty = "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";

        Assert.NotEqual(sha3OfEmpty, Convert.ToHexStringLower(Keccak.Hash256([])));
        if (SHA3_256.IsSupported)
        {
            Assert.Equal(sha3OfEmpty, Convert.ToHexStringLower(SHA3_256.HashData([])));
        }
    }
}
