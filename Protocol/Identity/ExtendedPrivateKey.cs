using System.Security.Cryptography;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// A derived private key and its chain code (BIP32 / SLIP-0010), both 32 bytes. Both are secret: whoever holds them
/// holds every key below this one. Wiped on <see cref="Dispose"/>; <see cref="ToString"/> shows neither.
/// </summary>
public sealed class ExtendedPrivateKey : IDisposable
{
    public const int KeyBytes = 32;

    private readonly byte[] _privateKey;
    private readonly byte[] _chainCode;
    private bool _disposed;

    internal ExtendedPrivateKey(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> chainCode)
    {
        if (privateKey.Length != KeyBytes || chainCode.Length != KeyBytes)
        {
            throw new ArgumentException($"A private key and a chain code are {KeyBytes} bytes each, not {privateKey.Length} and {chainCode.Length}.");
        }

        _privateKey = privateKey.ToArray();
        _chainCode = chainCode.ToArray();
    }

    /// <summary>The 32-byte private key (for ed25519, the seed libsodium expands into a key pair).</summary>
    public ReadOnlySpan<byte> PrivateKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKey;
        }
    }

    /// <summary>The 32-byte chain code.</summary>
    public ReadOnlySpan<byte> ChainCode
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _chainCode;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_privateKey);
        CryptographicOperations.ZeroMemory(_chainCode);
    }

    public override string ToString() => "ExtendedPrivateKey (secret, not shown)";
}
