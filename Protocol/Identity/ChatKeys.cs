using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// The chat key pair of one identity: the Ed25519 signing key and the X25519 encryption key converted from it.
/// Secret bytes stay inside this object and are wiped on <see cref="Dispose"/>; nothing here is ever logged.
/// </summary>
public sealed partial class ChatKeys : IDisposable
{
    private readonly byte[] _signingKey = new byte[Sodium.SignSecretKeyBytes];
    private readonly byte[] _encryptionKey = new byte[Sodium.BoxSecretKeyBytes];
    private bool _disposed;

    private ChatKeys(ReadOnlySpan<byte> ed25519Seed)
    {
        Span<byte> publicKey = stackalloc byte[Sodium.SignPublicKeyBytes];
        Sodium.SignSeedKeyPair(ed25519Seed, publicKey, _signingKey);
        Sodium.ConvertSecretKey(_signingKey, _encryptionKey);
        Identity = PublicKey.FromBytes(publicKey);
    }

    /// <summary>The public identity: the Ed25519 public key.</summary>
    public PublicKey Identity { get; }

    /// <summary>Keys from a 32-byte Ed25519 seed (the private key SLIP-0010 derives).</summary>
    public static ChatKeys FromEd25519Seed(ReadOnlySpan<byte> seed) => new(seed);

    /// <summary>Signs <paramref name="message"/> with the Ed25519 key.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Sodium.SignatureBytes];
        Sign(message, signature);
        return signature;
    }

    /// <summary>Signs <paramref name="message"/> into a 64-byte <paramref name="signature"/>.</summary>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Sodium.Sign(message, _signingKey, signature);
    }

    /// <summary>The X25519 shared key with <paramref name="peer"/>, for <see cref="Sodium.BoxAfterSharedKey"/>; false when the peer key is unusable.</summary>
    public bool TryGetSharedKey(PublicKey peer, Span<byte> sharedKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> peerEncryptionKey = stackalloc byte[Sodium.BoxPublicKeyBytes];
        return peer.TryGetEncryptionKey(peerEncryptionKey)
               && Sodium.TryBoxSharedKey(peerEncryptionKey, _encryptionKey, sharedKey);
    }

    /// <summary>Wipes the secret keys.</summary>
    public void Dispose()
    {
        _disposed = true;
        Sodium.Zero(_signingKey);
        Sodium.Zero(_encryptionKey);
        WipeSharedKeys();
    }

    /// <summary>The identity only: secrets never reach a log through <c>ToString</c>.</summary>
    public override string ToString() => Identity.ToString();
}
