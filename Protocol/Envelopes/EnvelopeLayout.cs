using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Envelopes;

/// <summary>
/// Where each field of a version-1 envelope sits. The table in docs/PROTOCOL.md ("Envelope") is the normative text;
/// these constants are that table, and the vector tests hold the two together.
/// </summary>
/// <remarks>
/// <code>
/// offset        size  field
///      0           1  version            = 1
///      1          32  sender             Ed25519 public key
///     33          32  recipient          Ed25519 public key
///     65           8  created-at         unsigned big-endian, Unix milliseconds
///     73           8  expires-at         unsigned big-endian, Unix milliseconds
///     81          24  nonce              crypto_box nonce
///    105           4  ciphertext length  unsigned big-endian, L ≥ 17
///    109           L  ciphertext         crypto_box_easy output: 16-byte MAC ‖ encrypted plaintext
///  109+L          64  signature          Ed25519, over Domain ‖ bytes [0, 109+L)
/// </code>
/// Every field before the ciphertext has a fixed width, so a reader finds all of them without parsing, and the only
/// variable part is bounded by a length the reader checks against the bytes it actually holds.
/// </remarks>
internal static class EnvelopeLayout
{
    public const int VersionOffset = 0;
    public const int SenderOffset = 1;
    public const int RecipientOffset = SenderOffset + KeyBytes;
    public const int CreatedAtOffset = RecipientOffset + KeyBytes;
    public const int ExpiresAtOffset = CreatedAtOffset + TimeBytes;
    public const int NonceOffset = ExpiresAtOffset + TimeBytes;
    public const int CiphertextLengthOffset = NonceOffset + NonceBytes;
    public const int CiphertextOffset = CiphertextLengthOffset + LengthBytes;

    /// <summary>Bytes before the ciphertext: version, keys, times, nonce and the length prefix (109).</summary>
    public const int HeaderBytes = CiphertextOffset;

    public const int KeyBytes = Sodium.SignPublicKeyBytes;
    public const int TimeBytes = sizeof(ulong);
    public const int NonceBytes = Sodium.BoxNonceBytes;
    public const int LengthBytes = sizeof(uint);
    public const int MacBytes = Sodium.BoxMacBytes;
    public const int SignatureBytes = Sodium.SignatureBytes;

    /// <summary>The MAC plus at least one byte of plaintext: an envelope that says nothing is refused.</summary>
    public const int MinCiphertextBytes = MacBytes + 1;

    /// <summary>
    /// The prefix of the signed bytes, "iChat-Envelope-v1" in ASCII. It keeps an envelope signature from being valid
    /// as the signature of anything else the same key signs (relay challenges, wallet messages), and the other way round.
    /// </summary>
    public static ReadOnlySpan<byte> Domain => "iChat-Envelope-v1"u8;

    /// <summary>The latest instant <see cref="DateTimeOffset"/> can hold, 9999-12-31T23:59:59.999Z, in Unix milliseconds.</summary>
    public const long MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>The encoded length of an envelope whose ciphertext is <paramref name="ciphertextLength"/> bytes.</summary>
    public static long EncodedLength(long ciphertextLength) => HeaderBytes + ciphertextLength + SignatureBytes;
}
