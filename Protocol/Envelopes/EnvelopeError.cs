namespace NexusOrleans.Protocol.Envelopes;

/// <summary>Why an envelope was refused. Each value names one rule of docs/PROTOCOL.md, "Validation".</summary>
public enum EnvelopeError
{
    /// <summary>The bytes do not follow the layout: empty, cut short, trailing bytes, a ciphertext too short, an unusable recipient key.</summary>
    Malformed,

    /// <summary>The first byte names a version this code does not know.</summary>
    UnsupportedVersion,

    /// <summary>The encoded envelope is longer than the limit in force.</summary>
    TooLarge,

    /// <summary>The sender's Ed25519 signature does not verify over the signed bytes.</summary>
    BadSignature,

    /// <summary>Expires-at is not after created-at, is more than six hours after it, or a time is past year 9999.</summary>
    BadLifetime,

    /// <summary>The ciphertext does not authenticate with the shared key of sender and recipient.</summary>
    Undecryptable,

    /// <summary>The envelope was opened with the keys of someone other than its recipient.</summary>
    WrongRecipient,
}
