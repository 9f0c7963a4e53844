using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// BIP32 private key derivation on secp256k1: how a BIP39 seed becomes the user's EVM account key.
/// </summary>
/// <remarks>
/// <para>
/// The master key is HMAC-SHA512(key "Bitcoin seed", seed). A child is HMAC-SHA512(key = chain code, data), where data
/// is 0x00 ‖ private key ‖ index for a hardened index and the compressed public key ‖ index for a normal one; the child
/// private key is (left half + parent key) mod n and its chain code the right half. BIP32 says to skip to the next index
/// when a left half is ≥ n or the sum is 0; here the path is fixed by the caller, so that case (probability about
/// 2^-127) throws <see cref="CryptographicException"/> instead of silently deriving a key at a different path.
/// </para>
/// <para>
/// The curve arithmetic is BouncyCastle's. Its big integers are immutable and cannot be wiped, so intermediate key
/// values live on the managed heap until collected; the byte arrays this class hands out are wiped by their owners.
/// </para>
/// </remarks>
public static class Bip32
{
    public const int CompressedPublicKeyBytes = 33;
    public const int UncompressedPublicKeyBytes = 65;

    private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly FixedPointCombMultiplier Multiplier = new();

    private static ReadOnlySpan<byte> Secp256k1Curve => "Bitcoin seed"u8;

    /// <summary>
    /// The secp256k1 key at <paramref name="path"/> (hardened and normal indices, e.g. <c>m/44'/60'/0'/0/0</c>) below
    /// <paramref name="seed"/>. A malformed path throws <see cref="FormatException"/>.
    /// </summary>
    public static ExtendedPrivateKey Derive(ReadOnlySpan<byte> seed, string path)
    {
        Slip10.RequireSeedLength(seed, nameof(seed));
        var indices = DerivationPath.Parse(path);

        Span<byte> digest = stackalloc byte[64];
        Span<byte> key = stackalloc byte[32];
        Span<byte> chainCode = stackalloc byte[32];
        Span<byte> data = stackalloc byte[CompressedPublicKeyBytes + 4];
        try
        {
            HMACSHA512.HashData(Secp256k1Curve, seed, digest);
            var k = new BigInteger(1, digest[..32].ToArray());
            if (k.SignValue == 0 || k.CompareTo(Curve.N) >= 0)
            {
                throw new CryptographicException("This seed gives an invalid BIP32 master key (probability about 2^-127); use another seed.");
            }

            digest[..32].CopyTo(key);
            digest[32..].CopyTo(chainCode);
            foreach (var index in indices)
            {
                if (DerivationPath.IsHardened(index))
                {
                    data[0] = 0;
                    key.CopyTo(data[1..]);
                }
                else
                {
                    WritePublicKey(k, compressed: true, data[..CompressedPublicKeyBytes]);
                }

                BinaryPrimitives.WriteUInt32BigEndian(data[CompressedPublicKeyBytes..], index);
                HMACSHA512.HashData(chainCode, data, digest);

                var tweak = new BigInteger(1, digest[..32].ToArray());
                k = tweak.Add(k).Mod(Curve.N);
                if (tweak.CompareTo(Curve.N) >= 0 || k.SignValue == 0)
                {
                    throw new CryptographicException(
                        $"Index {index} of '{path}' gives an invalid BIP32 key (probability about 2^-127); BIP32 says to use the next index instead.");
                }

                WriteScalar(k, key);
                digest[32..].CopyTo(chainCode);
            }

            return new ExtendedPrivateKey(key, chainCode);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(digest);
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(chainCode);
            CryptographicOperations.ZeroMemory(data);
        }
    }

    /// <summary>The public key of a 32-byte private key: 33 bytes compressed (02/03 ‖ x) or 65 uncompressed (04 ‖ x ‖ y).</summary>
    public static byte[] GetPublicKey(ReadOnlySpan<byte> privateKey, bool compressed = true)
    {
        var k = ToScalar(privateKey, nameof(privateKey));
        var publicKey = new byte[compressed ? CompressedPublicKeyBytes : UncompressedPublicKeyBytes];
        WritePublicKey(k, compressed, publicKey);
        return publicKey;
    }

    /// <summary>The private key as a curve scalar; throws when it is not in [1, n-1].</summary>
    internal static BigInteger ToScalar(ReadOnlySpan<byte> privateKey, string name)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException($"A secp256k1 private key is 32 bytes long, not {privateKey.Length}.", name);
        }

        var k = new BigInteger(1, privateKey.ToArray());
        if (k.SignValue == 0 || k.CompareTo(Curve.N) >= 0)
        {
            throw new ArgumentException("A secp256k1 private key is a number from 1 to n-1 (the curve order); this one is not.", name);
        }

        return k;
    }

    private static void WritePublicKey(BigInteger k, bool compressed, Span<byte> destination)
    {
        var encoded = Multiplier.Multiply(Curve.G, k).Normalize().GetEncoded(compressed);
        encoded.CopyTo(destination);
    }

    private static void WriteScalar(BigInteger k, Span<byte> destination)
    {
        var bytes = k.ToByteArrayUnsigned();
        destination.Clear();
        bytes.CopyTo(destination[(destination.Length - bytes.Length)..]);
        CryptographicOperations.ZeroMemory(bytes);
    }
}
