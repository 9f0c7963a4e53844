using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// A user's (or relay's) public identity: a 32-byte Ed25519 public key, written as 64 lowercase hex characters.
/// The same key, converted, is the X25519 key others encrypt to, so an identity is all a sender needs to know.
/// </summary>
public readonly partial struct PublicKey : IEquatable<PublicKey>
{
    public const int Length = Sodium.SignPublicKeyBytes;

    private readonly byte[]? _bytes;

    private PublicKey(byte[] bytes) => _bytes = bytes;

    /// <summary>The 32 key bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new InvalidOperationException("This PublicKey is the default value and holds no key.");

    /// <summary>A key from its 32 bytes (copied).</summary>
    public static PublicKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"An Ed25519 public key is {Length} bytes long, not {bytes.Length}.", nameof(bytes));
        }

        return new PublicKey(bytes.ToArray());
    }

    /// <summary>Parses 64 hex characters (either case); the message of the <see cref="FormatException"/> says what was wrong.</summary>
    public static PublicKey Parse(string text)
    {
        if (!TryParse(text, out var key, out var error))
        {
            throw new FormatException(error);
        }

        return key;
    }

    /// <summary>Parses 64 hex characters (either case).</summary>
    public static bool TryParse(string? text, out PublicKey key) => TryParse(text, out key, out _);

    private static bool TryParse(string? text, out PublicKey key, out string error)
    {
        key = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "An identity is 64 hex characters (an Ed25519 public key); the value was empty.";
            return false;
        }

        if (text.Length != Length * 2)
        {
            error = $"An identity is 64 hex characters (an Ed25519 public key); this one has {text.Length}.";
            return false;
        }

        var bytes = new byte[Length];
        if (Convert.FromHexString(text, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            error = "An identity is 64 hex characters (0-9, a-f); this one has other characters.";
            return false;
        }

        error = string.Empty;
        key = new PublicKey(bytes);
        return true;
    }

    /// <summary>Whether <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => Sodium.Verify(message, signature, Bytes);

    /// <summary>The X25519 public key of this identity, or false when the bytes are not a valid Ed25519 point.</summary>
    public bool TryGetEncryptionKey(Span<byte> x25519PublicKey) => Sodium.TryConvertPublicKey(Bytes, x25519PublicKey);

    /// <summary>64 lowercase hex characters.</summary>
    public override string ToString() => _bytes is null ? string.Empty : Convert.ToHexStringLower(_bytes);

    public bool Equals(PublicKey other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is PublicKey other && Equals(other);

    public override int GetHashCode() => _bytes is null ? 0 : BitConverter.ToInt32(_bytes, 0);

    public static bool operator ==(PublicKey left, PublicKey right) => left.Equals(right);

    public static bool operator !=(PublicKey left, PublicKey right) => !left.Equals(right);
}
