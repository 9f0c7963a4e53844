namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// The identity as a W3C did:key: "did:key:" + multibase base58btc ("z") of the Ed25519 multicodec (0xed, written as the
/// varint 0xed 0x01) followed by the 32 key bytes. Every Ed25519 did:key therefore starts "did:key:z6Mk".
/// </summary>
public readonly partial struct PublicKey
{
    public const string DidKeyPrefix = "did:key:";

    /// <summary>The multicodec of an Ed25519 public key.</summary>
    public const int Ed25519Multicodec = 0xed;

    /// <summary>This key as "did:key:z6Mk…".</summary>
    public string ToDidKey()
    {
        Span<byte> multicodecKey = stackalloc byte[2 + Length];
        multicodecKey[0] = Ed25519Multicodec;
        multicodecKey[1] = 0x01;
        Bytes.CopyTo(multicodecKey[2..]);
        return DidKeyPrefix + "z" + Base58.Encode(multicodecKey);
    }

    /// <summary>The key of an Ed25519 did:key; the message of the <see cref="FormatException"/> says what was wrong.</summary>
    public static PublicKey FromDidKey(string did) =>
        TryFromDidKey(did, out var key, out var error) ? key : throw new FormatException(error);

    /// <summary>The key of an Ed25519 did:key, or false.</summary>
    public static bool TryFromDidKey(string? did, out PublicKey key) => TryFromDidKey(did, out key, out _);

    private static bool TryFromDidKey(string? did, out PublicKey key, out string error)
    {
        key = default;
        if (string.IsNullOrEmpty(did))
        {
            error = "A did:key is 'did:key:z' followed by base58btc; the value was empty.";
            return false;
        }

        if (!did.StartsWith(DidKeyPrefix, StringComparison.Ordinal))
        {
            error = $"A did:key starts with '{DidKeyPrefix}'; this value does not (it is {did.Length} characters starting '{did[..Math.Min(did.Length, 8)]}').";
            return false;
        }

        var identifier = did[DidKeyPrefix.Length..];
        if (identifier.IndexOfAny(['#', '?', '/']) >= 0)
        {
            error = "This is a DID URL (it has a '#' fragment, '?' query or '/' path); pass the DID alone, 'did:key:z…'.";
            return false;
        }

        if (identifier.Length == 0 || identifier[0] != 'z')
        {
            error = $"Only base58btc did:keys (multibase prefix 'z') are supported; this one has '{(identifier.Length == 0 ? "nothing" : identifier[..1])}' after '{DidKeyPrefix}'.";
            return false;
        }

        if (!Base58.TryDecode(identifier[1..], out var bytes, out var base58Error))
        {
            error = "The did:key is not valid base58btc. " + base58Error;
            return false;
        }

        if (!TryReadVarint(bytes, out var multicodec, out var varintLength))
        {
            error = "The did:key does not start with a multicodec varint.";
            return false;
        }

        if (multicodec != Ed25519Multicodec)
        {
            error = $"The did:key's multicodec is 0x{multicodec:x} ({MulticodecName(multicodec)}), not 0x{Ed25519Multicodec:x} (Ed25519 public key).";
            return false;
        }

        var keyBytes = bytes.AsSpan(varintLength);
        if (keyBytes.Length != Length)
        {
            error = $"An Ed25519 did:key carries {Length} key bytes after its multicodec; this one carries {keyBytes.Length}.";
            return false;
        }

        key = FromBytes(keyBytes);
        error = string.Empty;
        return true;
    }

    /// <summary>An unsigned LEB128 varint, as multicodec writes codes (at most 9 bytes).</summary>
    private static bool TryReadVarint(ReadOnlySpan<byte> bytes, out ulong value, out int length)
    {
        value = 0;
        for (length = 0; length < bytes.Length && length < 9; length++)
        {
            value |= (ulong)(bytes[length] & 0x7F) << (7 * length);
            if ((bytes[length] & 0x80) == 0)
            {
                length++;
                return true;
            }
        }

        return false;
    }

    private static string MulticodecName(ulong multicodec) => multicodec switch
    {
        0xec => "X25519 public key",
        0xe7 => "secp256k1 public key",
        0x1200 => "P-256 public key",
        0x1201 => "P-384 public key",
        0xeb => "BLS12-381 G2 public key",
        0x1205 => "RSA public key",
        _ => "not a key type this code knows",
    };
}
