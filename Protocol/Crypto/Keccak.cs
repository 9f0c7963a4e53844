using Org.BouncyCastle.Crypto.Digests;

namespace NexusOrleans.Protocol.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it: the original Keccak padding, not the FIPS 202 SHA3-256 that .NET and most
/// libraries call "SHA3" (same permutation, different padding, different output).
/// </summary>
public static class Keccak
{
    public const int HashBytes = 32;

    /// <summary>The Keccak-256 hash of <paramref name="data"/>.</summary>
    public static byte[] Hash256(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        var input = data.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        var hash = new byte[HashBytes];
        digest.DoFinal(hash, 0);
        return hash;
    }
}
