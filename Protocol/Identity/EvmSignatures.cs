using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NexusOrleans.Protocol.Crypto;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// Ethereum-style ECDSA signatures on secp256k1: 65 bytes <c>r ‖ s ‖ v</c>, verified by recovering the signer's address
/// rather than by checking against a known public key, the way <c>ecrecover</c> and every EVM wallet do.
/// </summary>
/// <remarks>
/// <para>
/// Signing is deterministic (RFC 6979 with HMAC-SHA256, no extra entropy), so the same key and hash always give the same
/// 65 bytes, byte for byte what ethers, web3.js and @noble/curves produce. A signature is always made with the low
/// <c>s</c> (at most n/2, EIP-2): for every valid (r, s) the twin (r, n − s) verifies too, and accepting both would let
/// anyone change a signature's bytes without the key. <c>v</c> is 27 + the recovery id (which of the two curve points
/// with x = r was the nonce point), found here by recovering with each and keeping the one that gives our public key.
/// </para>
/// <para>
/// Recovery treats the signature as untrusted input: a wrong length, a <c>v</c> other than 27 or 28, r or s outside
/// [1, n−1], a high <c>s</c>, an r that is not the x of a curve point, or a recovered point at infinity all give
/// <see langword="null"/>, never an exception. The hash is the caller's own value, so a hash that is not 32 bytes is a
/// programming error and throws. A recovered address proves only that the holder of its key signed this hash; what the
/// hash commits to (EIP-191 personal message, EIP-712 typed data) is for the caller to decide.
/// </para>
/// <para>
/// BouncyCastle's big integers are immutable and cannot be wiped, so the private scalar lives on the managed heap until
/// collected; the byte copies made here are wiped.
/// </para>
/// </remarks>
public static class EvmSignatures
{
    /// <summary>r (32 bytes) ‖ s (32 bytes) ‖ v (1 byte, 27 or 28).</summary>
    public const int SignatureBytes = 65;

    public const int HashBytes = Keccak.HashBytes;

    private const int ScalarBytes = 32;
    private const byte RecoveryIdOffset = 27;

    private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    private static readonly BigInteger HalfOrder = Curve.N.ShiftRight(1);

    /// <summary>
    /// The EIP-191 version 0x45 ("personal_sign") hash of <paramref name="message"/>:
    /// Keccak-256("\x19Ethereum Signed Message:\n" ‖ decimal byte length of the message ‖ message).
    /// </summary>
    public static byte[] PersonalMessageHash(ReadOnlySpan<byte> message)
    {
        var prefix = Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(CultureInfo.InvariantCulture));
        var data = new byte[prefix.Length + message.Length];
        prefix.CopyTo(data, 0);
        message.CopyTo(data.AsSpan(prefix.Length));
        return Keccak.Hash256(data);
    }

    /// <summary>The 65-byte low-s RFC 6979 signature of a 32-byte hash with a 32-byte secp256k1 private key.</summary>
    public static byte[] SignHash(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> hash32)
    {
        var d = Bip32.ToScalar(privateKey, nameof(privateKey));
        RequireHash(hash32, nameof(hash32));

        var hash = hash32.ToArray();
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        var rs = signer.GenerateSignature(hash);
        var r = rs[0];
        var s = rs[1].CompareTo(HalfOrder) > 0 ? Curve.N.Subtract(rs[1]) : rs[1];

        var publicKey = Curve.G.Multiply(d).Normalize();
        for (var recoveryId = 0; recoveryId < 2; recoveryId++)
        {
            var candidate = Recover(hash, r, s, recoveryId);
            if (candidate is not null && candidate.Equals(publicKey))
            {
                var signature = new byte[SignatureBytes];
                WriteScalar(r, signature.AsSpan(0, ScalarBytes));
                WriteScalar(s, signature.AsSpan(ScalarBytes, ScalarBytes));
                signature[^1] = (byte)(RecoveryIdOffset + recoveryId);
                return signature;
            }
        }

        // Only reachable when r ≥ p − n (x of the nonce point above the order, probability about 2^-128), which v = 27/28
        // cannot express; Ethereum has no encoding for it either.
        throw new CryptographicException("This signature's nonce point cannot be expressed with v = 27 or 28; sign again with another hash.");
    }

    /// <summary>The signature of <see cref="PersonalMessageHash"/>(<paramref name="message"/>), as <c>personal_sign</c> makes it.</summary>
    public static byte[] SignPersonalMessage(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message) =>
        SignHash(privateKey, PersonalMessageHash(message));

    /// <summary>
    /// The EIP-55 address whose key signed <paramref name="hash32"/>, or <see langword="null"/> when the signature is not
    /// 65 bytes, v is not 27 or 28, r or s is out of range, s is high, or no public key can be recovered.
    /// </summary>
    public static string? RecoverSigner(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature)
    {
        RequireHash(hash32, nameof(hash32));
        if (signature.Length != SignatureBytes || signature[^1] is not (RecoveryIdOffset or RecoveryIdOffset + 1))
        {
            return null;
        }

        var r = new BigInteger(1, signature[..ScalarBytes].ToArray());
        var s = new BigInteger(1, signature[ScalarBytes..(2 * ScalarBytes)].ToArray());
        if (r.SignValue == 0 || r.CompareTo(Curve.N) >= 0 || s.SignValue == 0 || s.CompareTo(HalfOrder) > 0)
        {
            return null;
        }

        var publicKey = Recover(hash32.ToArray(), r, s, signature[^1] - RecoveryIdOffset);
        return publicKey is null ? null : AddressOf(publicKey);
    }

    /// <summary>The signer of a <c>personal_sign</c> signature over <paramref name="message"/>, or <see langword="null"/>.</summary>
    public static string? RecoverPersonalMessageSigner(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        RecoverSigner(PersonalMessageHash(message), signature);

    /// <summary>
    /// SEC 1 §4.1.6 public key recovery for x = r (recovery ids 0 and 1 only): R is the point with that x and the parity
    /// of the id, and Q = r⁻¹(sR − eG). secp256k1's cofactor is 1, so every curve point has order n and R needs no check.
    /// </summary>
    private static ECPoint? Recover(byte[] hash, BigInteger r, BigInteger s, int recoveryId)
    {
        var compressed = new byte[1 + ScalarBytes];
        compressed[0] = (byte)(0x02 | recoveryId);
        WriteScalar(r, compressed.AsSpan(1));
        ECPoint nonce;
        try
        {
            nonce = Curve.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null; // r is not the x coordinate of any curve point
        }

        var e = new BigInteger(1, hash);
        var rInverse = r.ModInverse(Curve.N);
        var q = ECAlgorithms.SumOfTwoMultiplies(
            Curve.G, e.Negate().Mod(Curve.N).Multiply(rInverse).Mod(Curve.N),
            nonce, s.Multiply(rInverse).Mod(Curve.N)).Normalize();
        return q.IsInfinity ? null : q;
    }

    private static string AddressOf(ECPoint publicKey)
    {
        var uncompressed = publicKey.GetEncoded(false);
        return Eip55.ToChecksumAddress(Keccak.Hash256(uncompressed.AsSpan(1))[^Eip55.AddressBytes..]);
    }

    private static void RequireHash(ReadOnlySpan<byte> hash32, string name)
    {
        if (hash32.Length != HashBytes)
        {
            throw new ArgumentException($"A signed hash is {HashBytes} bytes long (Keccak-256), not {hash32.Length}.", name);
        }
    }

    private static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        var bytes = value.ToByteArrayUnsigned();
        destination.Clear();
        bytes.CopyTo(destination[(destination.Length - bytes.Length)..]);
    }
}
