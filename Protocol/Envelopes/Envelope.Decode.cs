using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;
using static NexusOrleans.Protocol.Envelopes.EnvelopeLayout;

namespace NexusOrleans.Protocol.Envelopes;

/// <summary>
/// Reading an envelope from the wire. The checks run cheapest first, so a relay spends a signature verification
/// only on bytes that are well formed, within the size limit and the lifetime rule: size, version, structure,
/// recipient key, lifetime, then the signature. The first rule broken is the one reported.
/// </summary>
public sealed partial class Envelope
{
    /// <summary>Reads and checks an envelope; the bytes are copied, so the caller may reuse its buffer.</summary>
    /// <exception cref="EnvelopeException">The first rule of docs/PROTOCOL.md, "Validation", the bytes break.</exception>
    public static Envelope Decode(ReadOnlyMemory<byte> encoded, int maxBytes = DefaultMaxBytes)
    {
        if (!TryDecode(encoded, maxBytes, out var envelope, out var error))
        {
            throw error;
        }

        return envelope;
    }

    /// <summary>Reads and checks an envelope without throwing for bad bytes (a relay refuses many).</summary>
    public static bool TryDecode(
        ReadOnlyMemory<byte> encoded,
        int maxBytes,
        [NotNullWhen(true)] out Envelope? envelope,
        [NotNullWhen(false)] out EnvelopeException? error)
    {
        RequireUsableLimit(maxBytes);
        envelope = null;
        error = CheckStructure(encoded.Span, maxBytes, out var ciphertextLength, out var createdMs, out var expiresMs);
        if (error is not null)
        {
            return false;
        }

        var storage = new byte[Domain.Length + encoded.Length];
        Domain.CopyTo(storage);
        encoded.Span.CopyTo(storage.AsSpan(Domain.Length));
        var body = storage.AsSpan(Domain.Length);
        var sender = PublicKey.FromBytes(body.Slice(SenderOffset, KeyBytes));
        var recipient = PublicKey.FromBytes(body.Slice(RecipientOffset, KeyBytes));
        var signedLength = Domain.Length + CiphertextOffset + ciphertextLength;
        var signed = storage.AsSpan(0, signedLength);
        if (!sender.Verify(signed, storage.AsSpan(signedLength, SignatureBytes)))
        {
            error = new EnvelopeException(
                EnvelopeError.BadSignature,
                $"The signature does not verify with the sender key {sender}: the envelope was altered after signing, or that key did not sign it.");
            return false;
        }

        envelope = new Envelope(storage, sender, recipient, createdMs, expiresMs, ciphertextLength, MessageId.Compute(signed));
        return true;
    }

    /// <summary>Every rule but the signature, on the caller's bytes, without allocating unless a rule is broken.</summary>
    private static EnvelopeException? CheckStructure(ReadOnlySpan<byte> encoded, int maxBytes, out int ciphertextLength, out long createdMs, out long expiresMs)
    {
        ciphertextLength = 0;
        createdMs = 0;
        expiresMs = 0;
        if (encoded.Length > maxBytes)
        {
            return new EnvelopeException(EnvelopeError.TooLarge, $"The envelope is {encoded.Length} bytes; the limit is {maxBytes}.");
        }

        if (encoded.IsEmpty)
        {
            return new EnvelopeException(EnvelopeError.Malformed, "The envelope is empty; it starts with a version byte.");
        }

        if (encoded[VersionOffset] != CurrentVersion)
        {
            return new EnvelopeException(
                EnvelopeError.UnsupportedVersion,
                $"The envelope has version {encoded[VersionOffset]}; only version {CurrentVersion} is supported.");
        }

        if (encoded.Length < HeaderBytes)
        {
            return new EnvelopeException(
                EnvelopeError.Malformed,
                $"The envelope is {encoded.Length} bytes, shorter than the {HeaderBytes}-byte header (version, keys, times, nonce, ciphertext length).");
        }

        var declared = BinaryPrimitives.ReadUInt32BigEndian(encoded.Slice(CiphertextLengthOffset, LengthBytes));
        if (declared < MinCiphertextBytes)
        {
            return new EnvelopeException(
                EnvelopeError.Malformed,
                $"The envelope declares a {declared}-byte ciphertext; a ciphertext is the {MacBytes}-byte MAC plus at least 1 byte, so at least {MinCiphertextBytes} bytes.");
        }

        var expected = EncodedLength(declared);
        if (encoded.Length < expected)
        {
            return new EnvelopeException(
                EnvelopeError.Malformed,
                $"The envelope declares a {declared}-byte ciphertext, so it must be {expected} bytes with the header and the {SignatureBytes}-byte signature; it is cut short at {encoded.Length}.");
        }

        if (encoded.Length > expected)
        {
            return new EnvelopeException(
                EnvelopeError.Malformed,
                $"The envelope declares a {declared}-byte ciphertext, so it must be {expected} bytes; it has {encoded.Length - expected} trailing byte(s) after the signature.");
        }

        Span<byte> encryptionKey = stackalloc byte[Sodium.BoxPublicKeyBytes];
        if (!Sodium.TryConvertPublicKey(encoded.Slice(RecipientOffset, KeyBytes), encryptionKey))
        {
            return new EnvelopeException(
                EnvelopeError.Malformed,
                $"The recipient key {Convert.ToHexStringLower(encoded.Slice(RecipientOffset, KeyBytes))} is not a valid Ed25519 public key, so nothing can have been encrypted to it.");
        }

        var created = BinaryPrimitives.ReadUInt64BigEndian(encoded.Slice(CreatedAtOffset, TimeBytes));
        var expires = BinaryPrimitives.ReadUInt64BigEndian(encoded.Slice(ExpiresAtOffset, TimeBytes));
        if (created > MaxUnixMilliseconds || expires > MaxUnixMilliseconds)
        {
            return new EnvelopeException(
                EnvelopeError.BadLifetime,
                $"The envelope's times (created-at {created} ms, expires-at {expires} ms) must be at most {MaxUnixMilliseconds} ms, 9999-12-31T23:59:59.999Z.");
        }

        if (expires <= created)
        {
            return new EnvelopeException(
                EnvelopeError.BadLifetime,
                $"The envelope expires at {Instant(expires)}, which is not after its creation at {Instant(created)}.");
        }

        var maxLifetimeMs = (ulong)(MaxLifetime.Ticks / TimeSpan.TicksPerMillisecond);
        if (expires - created > maxLifetimeMs)
        {
            return new EnvelopeException(
                EnvelopeError.BadLifetime,
                $"The envelope lives {expires - created} ms (from {Instant(created)} to {Instant(expires)}); the longest allowed is {maxLifetimeMs} ms ({MaxLifetime.TotalHours} h).");
        }

        ciphertextLength = (int)declared;
        createdMs = (long)created;
        expiresMs = (long)expires;
        return null;
    }

    private static string Instant(ulong unixMs) => DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
