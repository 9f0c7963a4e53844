using System.Buffers.Binary;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;
using static NexusOrleans.Protocol.Envelopes.EnvelopeLayout;

namespace NexusOrleans.Protocol.Envelopes;

/// <summary>
/// One chat message as phones send it and relays keep it: a signed, encrypted envelope (docs/PROTOCOL.md, "Envelope").
/// </summary>
/// <remarks>
/// <para>
/// What it guarantees. An <see cref="Envelope"/> object only exists for bytes that passed every structural rule and
/// whose Ed25519 signature by <see cref="Sender"/> verifies over the domain prefix and every byte before the signature.
/// So a relay that holds one knows who sent it, to whom, until when it may be kept, and that no byte was changed on
/// the way, without being able to read it: the plaintext is inside a <c>crypto_box</c> between the sender's and the
/// recipient's X25519 keys (converted from their Ed25519 identities), which only the recipient can open.
/// </para>
/// <para>
/// Why sign the ciphertext as well as box it. The box's MAC already authenticates the plaintext to the recipient, but
/// a relay cannot check a MAC. The signature lets every relay refuse altered or forged envelopes before storing them,
/// and binds the cleartext header (recipient, times) that relays act on, which the box does not cover.
/// </para>
/// <para>
/// The id (<see cref="Id"/>) is BLAKE2b-256 of the signed bytes and is never transmitted. The same envelope sent
/// through five relays has the same id everywhere, so the inbox stores it once and the phone shows it once; and a
/// relay cannot attach a wrong id to it, because every party recomputes it from the bytes.
/// </para>
/// <para>
/// What it does not check. Whether the envelope has already expired, or was created in the future, depends on the
/// relay's clock and is the gateway's check, not <see cref="Decode"/>'s: a phone must still be able to decode an old
/// envelope. Replays of the same bytes are the inbox's concern (same id). The plaintext is opaque here.
/// </para>
/// <para>
/// Threads. Envelopes are immutable; <see cref="Seal"/> and <see cref="Open"/> may run concurrently on the same
/// <see cref="ChatKeys"/>, which caches shared keys behind a lock (ChatKeys.SharedKeys.cs).
/// </para>
/// </remarks>
public sealed partial class Envelope
{
    public const byte CurrentVersion = 1;

    /// <summary>The default limit on an encoded envelope, 64 KiB; relays may configure another.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    /// <summary>Bytes an envelope adds to its plaintext: header (109), MAC (16), signature (64).</summary>
    public const int Overhead = HeaderBytes + MacBytes + SignatureBytes;

    /// <summary>The shortest valid envelope: <see cref="Overhead"/> plus one byte of plaintext.</summary>
    public const int MinEncodedBytes = Overhead + 1;

    /// <summary>The longest an envelope may live: expires-at is at most this long after created-at.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(6);

    // The domain prefix followed by the encoded envelope, in one array: the signed bytes are then one contiguous
    // span (Ed25519 signs a contiguous message) without a second copy of a 64 KiB envelope.
    private readonly byte[] _storage;
    private readonly int _ciphertextLength;

    private Envelope(byte[] storage, PublicKey sender, PublicKey recipient, long createdAtMs, long expiresAtMs, int ciphertextLength, MessageId id)
    {
        _storage = storage;
        _ciphertextLength = ciphertextLength;
        Sender = sender;
        Recipient = recipient;
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdAtMs);
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs);
        Id = id;
    }

    /// <summary>The format version, <see cref="CurrentVersion"/>.</summary>
    public byte Version => _storage[Domain.Length + VersionOffset];

    /// <summary>BLAKE2b-256 of <see cref="SignedBytes"/>; the same for every copy of this envelope.</summary>
    public MessageId Id { get; }

    public PublicKey Sender { get; }

    public PublicKey Recipient { get; }

    /// <summary>When the sender made it, whole milliseconds, UTC.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>After this instant no relay may keep or deliver it; whole milliseconds, UTC, at most six hours after <see cref="CreatedAt"/>.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>How long the sender allowed it to live, <see cref="ExpiresAt"/> − <see cref="CreatedAt"/>.</summary>
    public TimeSpan Lifetime => ExpiresAt - CreatedAt;

    /// <summary>The 24-byte <c>crypto_box</c> nonce.</summary>
    public ReadOnlyMemory<byte> Nonce => _storage.AsMemory(Domain.Length + NonceOffset, NonceBytes);

    /// <summary>The <c>crypto_box_easy</c> output: 16-byte MAC ‖ encrypted plaintext.</summary>
    public ReadOnlyMemory<byte> Ciphertext => _storage.AsMemory(Domain.Length + CiphertextOffset, _ciphertextLength);

    /// <summary>The sender's 64-byte Ed25519 signature of <see cref="SignedBytes"/>.</summary>
    public ReadOnlyMemory<byte> Signature => _storage.AsMemory(Domain.Length + CiphertextOffset + _ciphertextLength, SignatureBytes);

    /// <summary>The exact wire bytes.</summary>
    public ReadOnlyMemory<byte> Encoded => _storage.AsMemory(Domain.Length);

    /// <summary>What the signature covers and the id hashes: "iChat-Envelope-v1" ‖ every encoded byte before the signature.</summary>
    public ReadOnlyMemory<byte> SignedBytes => _storage.AsMemory(0, Domain.Length + CiphertextOffset + _ciphertextLength);

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> from <paramref name="sender"/> to <paramref name="recipient"/> and signs the result.
    /// </summary>
    /// <param name="sender">The sender's keys; they sign and supply the X25519 secret.</param>
    /// <param name="recipient">The recipient's identity; a default (empty) key throws <see cref="InvalidOperationException"/>.</param>
    /// <param name="plaintext">At least one byte; opaque to the protocol (the reference client sends UTF-8 text).</param>
    /// <param name="createdAt">The creation time; sub-millisecond precision is dropped (rounded down).</param>
    /// <param name="lifetime">How long relays may keep it; more than zero, at most (and by default) <see cref="MaxLifetime"/>, whole milliseconds (rounded down).</param>
    /// <param name="nonce">Empty for a random nonce (always, in use); 24 fixed bytes only to reproduce test vectors.</param>
    /// <param name="maxBytes">The limit on the encoded envelope; the relays' limit, <see cref="DefaultMaxBytes"/> unless configured.</param>
    /// <exception cref="EnvelopeException"><see cref="EnvelopeError.TooLarge"/> when the envelope would exceed <paramref name="maxBytes"/>.</exception>
    /// <exception cref="ArgumentException">An argument outside the rules above, or a recipient key with no X25519 form.</exception>
    public static Envelope Seal(
        ChatKeys sender,
        PublicKey recipient,
        ReadOnlySpan<byte> plaintext,
        DateTimeOffset createdAt,
        TimeSpan? lifetime = null,
        ReadOnlySpan<byte> nonce = default,
        int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(sender);
        RequireUsableLimit(maxBytes);
        if (plaintext.IsEmpty)
        {
            throw new ArgumentException("The plaintext is empty; an envelope carries at least 1 byte.", nameof(plaintext));
        }

        if (!nonce.IsEmpty && nonce.Length != NonceBytes)
        {
            throw new ArgumentException($"A nonce is {NonceBytes} bytes (or empty for a random one), not {nonce.Length}.", nameof(nonce));
        }

        var life = lifetime ?? MaxLifetime;
        var lifeMs = life.Ticks / TimeSpan.TicksPerMillisecond;
        if (lifeMs < 1 || life > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), life, $"An envelope lives at least 1 ms and at most {MaxLifetime.TotalHours} h.");
        }

        var createdMs = createdAt.ToUnixTimeMilliseconds();
        if (createdMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(createdAt), createdAt, "An envelope cannot be created before 1970-01-01T00:00:00Z (Unix time 0).");
        }

        var expiresMs = createdMs + lifeMs;
        if (expiresMs > MaxUnixMilliseconds)
        {
            throw new ArgumentOutOfRangeException(nameof(createdAt), createdAt, "An envelope must expire by 9999-12-31T23:59:59.999Z.");
        }

        var encodedLength = Overhead + (long)plaintext.Length;
        if (encodedLength > maxBytes)
        {
            throw new EnvelopeException(
                EnvelopeError.TooLarge,
                $"A {plaintext.Length}-byte plaintext makes a {encodedLength}-byte envelope; the limit is {maxBytes} bytes, so at most {maxBytes - Overhead} bytes of plaintext.");
        }

        var ciphertextLength = plaintext.Length + MacBytes;
        var storage = new byte[Domain.Length + encodedLength];
        Domain.CopyTo(storage);
        var body = storage.AsSpan(Domain.Length);
        body[VersionOffset] = CurrentVersion;
        sender.Identity.Bytes.CopyTo(body.Slice(SenderOffset, KeyBytes));
        recipient.Bytes.CopyTo(body.Slice(RecipientOffset, KeyBytes));
        BinaryPrimitives.WriteUInt64BigEndian(body.Slice(CreatedAtOffset, TimeBytes), (ulong)createdMs);
        BinaryPrimitives.WriteUInt64BigEndian(body.Slice(ExpiresAtOffset, TimeBytes), (ulong)expiresMs);
        var nonceField = body.Slice(NonceOffset, NonceBytes);
        if (nonce.IsEmpty)
        {
            Sodium.RandomBytes(nonceField);
        }
        else
        {
            nonce.CopyTo(nonceField);
        }

        BinaryPrimitives.WriteUInt32BigEndian(body.Slice(CiphertextLengthOffset, LengthBytes), (uint)ciphertextLength);

        Span<byte> sharedKey = stackalloc byte[Sodium.BoxSharedKeyBytes];
        try
        {
            if (!sender.TryGetCachedSharedKey(recipient, sharedKey))
            {
                throw new ArgumentException($"The recipient {recipient} is not a valid Ed25519 public key, so nothing can be encrypted to it.", nameof(recipient));
            }

            Sodium.BoxAfterSharedKey(plaintext, nonceField, sharedKey, body.Slice(CiphertextOffset, ciphertextLength));
        }
        finally
        {
            Sodium.Zero(sharedKey);
        }

        var signedLength = Domain.Length + CiphertextOffset + ciphertextLength;
        var signed = storage.AsSpan(0, signedLength);
        sender.Sign(signed, storage.AsSpan(signedLength, SignatureBytes));
        return new Envelope(storage, sender.Identity, recipient, createdMs, expiresMs, ciphertextLength, MessageId.Compute(signed));
    }

    /// <summary>Decrypts the plaintext with the recipient's keys.</summary>
    /// <exception cref="EnvelopeException">
    /// <see cref="EnvelopeError.WrongRecipient"/> when <paramref name="recipient"/> is not <see cref="Recipient"/>;
    /// <see cref="EnvelopeError.Undecryptable"/> when the box does not open (the sender boxed it for another key or with
    /// another nonce, or the sender key has no X25519 form).
    /// </exception>
    public byte[] Open(ChatKeys recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (recipient.Identity != Recipient)
        {
            throw new EnvelopeException(EnvelopeError.WrongRecipient, $"The envelope is addressed to {Recipient}, not to {recipient.Identity}.");
        }

        var plaintext = new byte[_ciphertextLength - MacBytes];
        Span<byte> sharedKey = stackalloc byte[Sodium.BoxSharedKeyBytes];
        try
        {
            if (!recipient.TryGetCachedSharedKey(Sender, sharedKey))
            {
                throw new EnvelopeException(
                    EnvelopeError.Undecryptable,
                    $"The sender key {Sender} has no X25519 form, so there is no shared key to decrypt with.");
            }

            if (!Sodium.TryUnboxAfterSharedKey(Ciphertext.Span, Nonce.Span, sharedKey, plaintext))
            {
                throw new EnvelopeException(
                    EnvelopeError.Undecryptable,
                    $"The ciphertext does not authenticate with the shared key of sender {Sender} and recipient {Recipient}: "
                    + "the sender did not encrypt it to this recipient with this nonce.");
            }
        }
        finally
        {
            Sodium.Zero(sharedKey);
        }

        return plaintext;
    }

    /// <summary>Id, parties, size and expiry; never any content.</summary>
    public override string ToString() => $"Envelope {Id} from {Sender} to {Recipient}, {Encoded.Length} bytes, expires {ExpiresAt:O}";

    private static void RequireUsableLimit(int maxBytes)
    {
        if (maxBytes < MinEncodedBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, $"The size limit must allow the smallest envelope, {MinEncodedBytes} bytes.");
        }
    }
}
