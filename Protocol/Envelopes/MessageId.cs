using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Envelopes;

/// <summary>
/// The id of an envelope: BLAKE2b-256 of its signed bytes (docs/PROTOCOL.md, "Message id"). It is never sent; every
/// party computes it from the envelope, so the copies of one message that arrive through several relays share it and
/// are de-duplicated by it. Written as 64 lowercase hex characters.
/// </summary>
public readonly struct MessageId : IEquatable<MessageId>
{
    public const int Length = Sodium.GenericHashBytes;

    private readonly byte[]? _bytes;

    private MessageId(byte[] bytes) => _bytes = bytes;

    /// <summary>The 32 id bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new InvalidOperationException("This MessageId is the default value and holds no id.");

    /// <summary>An id from its 32 bytes (copied).</summary>
    public static MessageId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A message id is {Length} bytes long, not {bytes.Length}.", nameof(bytes));
        }

        return new MessageId(bytes.ToArray());
    }

    /// <summary>The id of an envelope whose signed bytes (domain prefix included) are <paramref name="signedBytes"/>.</summary>
    internal static MessageId Compute(ReadOnlySpan<byte> signedBytes)
    {
        var hash = new byte[Length];
        Sodium.GenericHash(signedBytes, hash);
        return new MessageId(hash);
    }

    /// <summary>Parses 64 hex characters (either case); the message of the <see cref="FormatException"/> says what was wrong.</summary>
    public static MessageId Parse(string text)
    {
        if (!TryParse(text, out var id, out var error))
        {
            throw new FormatException(error);
        }

        return id;
    }

    /// <summary>Parses 64 hex characters (either case).</summary>
    public static bool TryParse(string? text, out MessageId id) => TryParse(text, out id, out _);

    private static bool TryParse(string? text, out MessageId id, out string error)
    {
        id = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "A message id is 64 hex characters (a BLAKE2b-256 hash); the value was empty.";
            return false;
        }

        if (text.Length != Length * 2)
        {
            error = $"A message id is 64 hex characters (a BLAKE2b-256 hash); this one has {text.Length}.";
            return false;
        }

        var bytes = new byte[Length];
        if (Convert.FromHexString(text, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            error = "A message id is 64 hex characters (0-9, a-f); this one has other characters.";
            return false;
        }

        error = string.Empty;
        id = new MessageId(bytes);
        return true;
    }

    /// <summary>64 lowercase hex characters; empty for the default value.</summary>
    public override string ToString() => _bytes is null ? string.Empty : Convert.ToHexStringLower(_bytes);

    public bool Equals(MessageId other)
    {
        if (_bytes is null || other._bytes is null)
        {
            return ReferenceEquals(_bytes, other._bytes);
        }

        return _bytes.AsSpan().SequenceEqual(other._bytes);
    }

    public override bool Equals(object? obj) => obj is MessageId other && Equals(other);

    /// <summary>
    /// Mixed by <see cref="HashCode"/>, whose seed is random per process: ids are hashes a sender can grind, and a
    /// fixed hash code would let one fill a relay's de-duplication table with colliding ids.
    /// </summary>
    public override int GetHashCode()
    {
        if (_bytes is null)
        {
            return 0;
        }

        return HashCode.Combine(BitConverter.ToInt64(_bytes, 0), BitConverter.ToInt64(_bytes, 8));
    }

    public static bool operator ==(MessageId left, MessageId right) => left.Equals(right);

    public static bool operator !=(MessageId left, MessageId right) => !left.Equals(right);
}
