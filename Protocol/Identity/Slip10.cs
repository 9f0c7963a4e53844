using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// SLIP-0010 key derivation for ed25519: how a BIP39 seed becomes the chat identity's Ed25519 key.
/// </summary>
/// <remarks>
/// The master key is HMAC-SHA512(key "ed25519 seed", seed): the left half is the private key, the right half the chain
/// code. Each child is HMAC-SHA512(key = chain code, 0x00 ‖ private key ‖ index as 4 big-endian bytes), split the same
/// way. Only hardened indices exist for ed25519 (an Ed25519 public key cannot be tweaked the way BIP32's normal
/// derivation needs), so a path with a normal index is refused rather than guessed at. The private key is the 32-byte
/// seed that <c>crypto_sign_seed_keypair</c> expands, so these keys match Trezor, Ledger and every SLIP-0010 wallet.
/// </remarks>
public static class Slip10
{
    /// <summary>BIP32 accepts seeds of 128 to 512 bits.</summary>
    public const int MinSeedBytes = 16;

    public const int MaxSeedBytes = 64;

    private static ReadOnlySpan<byte> Ed25519Curve => "ed25519 seed"u8;

    /// <summary>
    /// The ed25519 key at <paramref name="path"/> (every index hardened, e.g. <c>m/44'/7337'/0'/0'/0'</c>) below
    /// <paramref name="seed"/>. A malformed path throws <see cref="FormatException"/>; a normal index, <see cref="ArgumentException"/>.
    /// </summary>
    public static ExtendedPrivateKey DeriveEd25519(ReadOnlySpan<byte> seed, string path)
    {
        RequireSeedLength(seed, nameof(seed));
        var indices = DerivationPath.Parse(path);
        for (var level = 0; level < indices.Length; level++)
        {
            if (!DerivationPath.IsHardened(indices[level]))
            {
                throw new ArgumentException(
                    $"SLIP-0010 ed25519 derives hardened indices only; segment {level + 1} of '{path}' ({indices[level]}) is not hardened: write {indices[level]}'.",
                    nameof(path));
            }
        }

        Span<byte> digest = stackalloc byte[64];
        Span<byte> chainCode = stackalloc byte[32];
        Span<byte> data = stackalloc byte[1 + 32 + 4];
        try
        {
            HMACSHA512.HashData(Ed25519Curve, seed, digest);
            foreach (var index in indices)
            {
                // The key of the next HMAC is this level's chain code, which the output overwrites: copy it out first.
                digest[32..].CopyTo(chainCode);
                data[0] = 0;
                digest[..32].CopyTo(data[1..]);
                BinaryPrimitives.WriteUInt32BigEndian(data[33..], index);
                HMACSHA512.HashData(chainCode, data, digest);
            }

            return new ExtendedPrivateKey(digest[..32], digest[32..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(digest);
            CryptographicOperations.ZeroMemory(chainCode);
            CryptographicOperations.ZeroMemory(data);
        }
    }

    internal static void RequireSeedLength(ReadOnlySpan<byte> seed, string name)
    {
        if (seed.Length is < MinSeedBytes or > MaxSeedBytes)
        {
            throw new ArgumentException($"A seed is {MinSeedBytes} to {MaxSeedBytes} bytes long (a BIP39 seed is 64), not {seed.Length}.", name);
        }
    }
}
