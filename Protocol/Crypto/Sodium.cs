using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace NexusOrleans.Protocol.Crypto;

/// <summary>
/// The libsodium primitives the protocol uses, called through P/Invoke on the system's libsodium (Debian: libsodium23).
/// Every wrapper checks buffer sizes before calling into C, so a wrong size is an <see cref="ArgumentException"/>
/// here and never a memory error there.
/// </summary>
/// <remarks>
/// The library is located by a resolver rather than by the bare name "libsodium", which only resolves when the
/// development package is installed; the runtime package ships only the versioned <c>libsodium.so.23</c>.
/// </remarks>
public static partial class Sodium
{
    public const int SignPublicKeyBytes = 32;
    public const int SignSecretKeyBytes = 64;
    public const int SignSeedBytes = 32;
    public const int SignatureBytes = 64;
    public const int BoxPublicKeyBytes = 32;
    public const int BoxSecretKeyBytes = 32;
    public const int BoxSharedKeyBytes = 32;
    public const int BoxNonceBytes = 24;
    public const int BoxMacBytes = 16;
    public const int GenericHashBytes = 32;

    private const string Library = "libsodium";
    private static readonly string[] Candidates = ["libsodium.so.23", "libsodium.so.26", "libsodium.so", "libsodium.dylib", "libsodium.dll", "libsodium"];

    static Sodium()
    {
        NativeLibrary.SetDllImportResolver(typeof(Sodium).Assembly, Resolve);
        if (sodium_init() < 0)
        {
            throw new CryptographicException("libsodium failed to initialise (sodium_init returned -1).");
        }
    }

    /// <summary>Makes sure libsodium is loaded and initialised; throws <see cref="DllNotFoundException"/> with the fix when it is missing.</summary>
    public static void EnsureLoaded() => RuntimeHelpers.RunClassConstructor(typeof(Sodium).TypeHandle);

    /// <summary>Derives the Ed25519 key pair of a 32-byte seed (<c>crypto_sign_seed_keypair</c>); the secret key is seed ‖ public key.</summary>
    public static void SignSeedKeyPair(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        RequireLength(seed, SignSeedBytes, nameof(seed));
        RequireLength(publicKey, SignPublicKeyBytes, nameof(publicKey));
        RequireLength(secretKey, SignSecretKeyBytes, nameof(secretKey));
        Check(crypto_sign_seed_keypair(publicKey, secretKey, seed), "crypto_sign_seed_keypair");
    }

    /// <summary>Signs <paramref name="message"/> with Ed25519 (deterministic: the same message gives the same signature).</summary>
    public static void Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> secretKey, Span<byte> signature)
    {
        RequireLength(secretKey, SignSecretKeyBytes, nameof(secretKey));
        RequireLength(signature, SignatureBytes, nameof(signature));
        Check(crypto_sign_detached(signature, out _, message, (ulong)message.Length, secretKey), "crypto_sign_detached");
    }

    /// <summary>Whether <paramref name="signature"/> is a valid Ed25519 signature of <paramref name="message"/> by <paramref name="publicKey"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> publicKey)
    {
        if (signature.Length != SignatureBytes || publicKey.Length != SignPublicKeyBytes)
        {
            return false;
        }

        return crypto_sign_verify_detached(signature, message, (ulong)message.Length, publicKey) == 0;
    }

    /// <summary>The X25519 public key of an Ed25519 public key; false when the key is not a valid curve point.</summary>
    public static bool TryConvertPublicKey(ReadOnlySpan<byte> ed25519PublicKey, Span<byte> x25519PublicKey)
    {
        RequireLength(ed25519PublicKey, SignPublicKeyBytes, nameof(ed25519PublicKey));
        RequireLength(x25519PublicKey, BoxPublicKeyBytes, nameof(x25519PublicKey));
        return crypto_sign_ed25519_pk_to_curve25519(x25519PublicKey, ed25519PublicKey) == 0;
    }

    /// <summary>The X25519 secret key of an Ed25519 secret key.</summary>
    public static void ConvertSecretKey(ReadOnlySpan<byte> ed25519SecretKey, Span<byte> x25519SecretKey)
    {
        RequireLength(ed25519SecretKey, SignSecretKeyBytes, nameof(ed25519SecretKey));
        RequireLength(x25519SecretKey, BoxSecretKeyBytes, nameof(x25519SecretKey));
        Check(crypto_sign_ed25519_sk_to_curve25519(x25519SecretKey, ed25519SecretKey), "crypto_sign_ed25519_sk_to_curve25519");
    }

    /// <summary>The shared key of an X25519 key pair and a peer's public key (<c>crypto_box_beforenm</c>); false for a weak peer key.</summary>
    public static bool TryBoxSharedKey(ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> secretKey, Span<byte> sharedKey)
    {
        RequireLength(peerPublicKey, BoxPublicKeyBytes, nameof(peerPublicKey));
        RequireLength(secretKey, BoxSecretKeyBytes, nameof(secretKey));
        RequireLength(sharedKey, BoxSharedKeyBytes, nameof(sharedKey));
        return crypto_box_beforenm(sharedKey, peerPublicKey, secretKey) == 0;
    }

    /// <summary>Encrypts and authenticates (<c>crypto_box_easy</c>); <paramref name="ciphertext"/> is MAC (16 bytes) ‖ encrypted message.</summary>
    public static void Box(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> secretKey, Span<byte> ciphertext)
    {
        RequireLength(nonce, BoxNonceBytes, nameof(nonce));
        RequireLength(peerPublicKey, BoxPublicKeyBytes, nameof(peerPublicKey));
        RequireLength(secretKey, BoxSecretKeyBytes, nameof(secretKey));
        RequireLength(ciphertext, message.Length + BoxMacBytes, nameof(ciphertext));
        if (crypto_box_easy(ciphertext, message, (ulong)message.Length, nonce, peerPublicKey, secretKey) != 0)
        {
            throw new CryptographicException("The recipient's key is not usable for encryption (crypto_box_easy refused it).");
        }
    }

    /// <summary>Same as <see cref="Box"/> with a precomputed shared key (<c>crypto_box_easy_afternm</c>).</summary>
    public static void BoxAfterSharedKey(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sharedKey, Span<byte> ciphertext)
    {
        RequireLength(nonce, BoxNonceBytes, nameof(nonce));
        RequireLength(sharedKey, BoxSharedKeyBytes, nameof(sharedKey));
        RequireLength(ciphertext, message.Length + BoxMacBytes, nameof(ciphertext));
        Check(crypto_box_easy_afternm(ciphertext, message, (ulong)message.Length, nonce, sharedKey), "crypto_box_easy_afternm");
    }

    /// <summary>Decrypts and checks (<c>crypto_box_open_easy</c>); false when the ciphertext was altered or is not for this key.</summary>
    public static bool TryUnbox(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> secretKey, Span<byte> message)
    {
        RequireLength(nonce, BoxNonceBytes, nameof(nonce));
        RequireLength(peerPublicKey, BoxPublicKeyBytes, nameof(peerPublicKey));
        RequireLength(secretKey, BoxSecretKeyBytes, nameof(secretKey));
        if (ciphertext.Length < BoxMacBytes)
        {
            return false;
        }

        RequireLength(message, ciphertext.Length - BoxMacBytes, nameof(message));
        return crypto_box_open_easy(message, ciphertext, (ulong)ciphertext.Length, nonce, peerPublicKey, secretKey) == 0;
    }

    /// <summary>Same as <see cref="TryUnbox"/> with a precomputed shared key (<c>crypto_box_open_easy_afternm</c>).</summary>
    public static bool TryUnboxAfterSharedKey(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sharedKey, Span<byte> message)
    {
        RequireLength(nonce, BoxNonceBytes, nameof(nonce));
        RequireLength(sharedKey, BoxSharedKeyBytes, nameof(sharedKey));
        if (ciphertext.Length < BoxMacBytes)
        {
            return false;
        }

        RequireLength(message, ciphertext.Length - BoxMacBytes, nameof(message));
        return crypto_box_open_easy_afternm(message, ciphertext, (ulong)ciphertext.Length, nonce, sharedKey) == 0;
    }

    /// <summary>BLAKE2b (<c>crypto_generichash</c>) of <paramref name="input"/>, unkeyed, into <paramref name="hash"/> (16 to 64 bytes).</summary>
    public static void GenericHash(ReadOnlySpan<byte> input, Span<byte> hash)
    {
        if (hash.Length is < 16 or > 64)
        {
            throw new ArgumentException($"A BLAKE2b hash is 16 to 64 bytes long, not {hash.Length}.", nameof(hash));
        }

        Check(crypto_generichash(hash, (nuint)hash.Length, input, (ulong)input.Length, ReadOnlySpan<byte>.Empty, 0), "crypto_generichash");
    }

    /// <summary>Fills <paramref name="buffer"/> with unpredictable bytes from libsodium's generator.</summary>
    public static void RandomBytes(Span<byte> buffer)
    {
        randombytes_buf(buffer, (nuint)buffer.Length);
    }

    /// <summary>Overwrites secret material so it does not linger in memory.</summary>
    public static void Zero(Span<byte> buffer) => CryptographicOperations.ZeroMemory(buffer);

    private static void RequireLength(ReadOnlySpan<byte> buffer, int expected, string name)
    {
        if (buffer.Length != expected)
        {
            throw new ArgumentException($"{name} must be {expected} bytes long, not {buffer.Length}.", name);
        }
    }

    private static void Check(int result, string function)
    {
        if (result != 0)
        {
            throw new CryptographicException($"libsodium's {function} failed (returned {result}).");
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Library)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            "libsodium was not found (tried " + string.Join(", ", Candidates) + "). Install it: on Debian or Ubuntu `apt-get install libsodium23`.");
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    private static partial int crypto_sign_seed_keypair(Span<byte> pk, Span<byte> sk, ReadOnlySpan<byte> seed);

    [LibraryImport(Library)]
    private static partial int crypto_sign_detached(Span<byte> sig, out ulong siglen, ReadOnlySpan<byte> m, ulong mlen, ReadOnlySpan<byte> sk);

    [LibraryImport(Library)]
    private static partial int crypto_sign_verify_detached(ReadOnlySpan<byte> sig, ReadOnlySpan<byte> m, ulong mlen, ReadOnlySpan<byte> pk);

    [LibraryImport(Library)]
    private static partial int crypto_sign_ed25519_pk_to_curve25519(Span<byte> xpk, ReadOnlySpan<byte> edpk);

    [LibraryImport(Library)]
    private static partial int crypto_sign_ed25519_sk_to_curve25519(Span<byte> xsk, ReadOnlySpan<byte> edsk);

    [LibraryImport(Library)]
    private static partial int crypto_box_beforenm(Span<byte> k, ReadOnlySpan<byte> pk, ReadOnlySpan<byte> sk);

    [LibraryImport(Library)]
    private static partial int crypto_box_easy(Span<byte> c, ReadOnlySpan<byte> m, ulong mlen, ReadOnlySpan<byte> n, ReadOnlySpan<byte> pk, ReadOnlySpan<byte> sk);

    [LibraryImport(Library)]
    private static partial int crypto_box_easy_afternm(Span<byte> c, ReadOnlySpan<byte> m, ulong mlen, ReadOnlySpan<byte> n, ReadOnlySpan<byte> k);

    [LibraryImport(Library)]
    private static partial int crypto_box_open_easy(Span<byte> m, ReadOnlySpan<byte> c, ulong clen, ReadOnlySpan<byte> n, ReadOnlySpan<byte> pk, ReadOnlySpan<byte> sk);

    [LibraryImport(Library)]
    private static partial int crypto_box_open_easy_afternm(Span<byte> m, ReadOnlySpan<byte> c, ulong clen, ReadOnlySpan<byte> n, ReadOnlySpan<byte> k);

    [LibraryImport(Library)]
    private static partial int crypto_generichash(Span<byte> output, nuint outlen, ReadOnlySpan<byte> input, ulong inlen, ReadOnlySpan<byte> key, nuint keylen);

    [LibraryImport(Library)]
    private static partial void randombytes_buf(Span<byte> buf, nuint size);
}
