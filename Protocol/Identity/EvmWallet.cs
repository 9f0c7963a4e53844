using System.Globalization;
using System.Security.Cryptography;
using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// The user's EVM account, derived from the same mnemonic as the chat identity, at the path MetaMask and most wallets
/// use (<c>m/44'/60'/0'/0/{index}</c>), so the same mnemonic shows the same address there. The address is the last 20
/// bytes of Keccak-256 of the uncompressed public key without its 04 prefix, written with the EIP-55 checksum.
/// The private key stays in this object and is wiped on <see cref="Dispose"/>; <see cref="ToString"/> shows only the address.
/// </summary>
public sealed class EvmWallet : IDisposable
{
    /// <summary>The BIP44 path of account <c>{0}</c> (the address index).</summary>
    public const string DerivationPathFormat = "m/44'/60'/0'/0/{0}";

    public const int PrivateKeyBytes = 32;

    private readonly byte[] _privateKey;
    private bool _disposed;

    private EvmWallet(ReadOnlySpan<byte> privateKey)
    {
        Bip32.ToScalar(privateKey, nameof(privateKey));
        _privateKey = privateKey.ToArray();
        var publicKey = Bip32.GetPublicKey(privateKey, compressed: false);
        Address = Eip55.ToChecksumAddress(Keccak.Hash256(publicKey.AsSpan(1))[^Eip55.AddressBytes..]);
    }

    /// <summary>The EIP-55 checksummed address, e.g. 0x9858EfFD232B4033E47d90003D41EC34EcaEda94.</summary>
    public string Address { get; }

    /// <summary>The 32-byte secp256k1 private key, for signing.</summary>
    public ReadOnlySpan<byte> PrivateKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKey;
        }
    }

    /// <summary>The path of <paramref name="accountIndex"/>, e.g. m/44'/60'/0'/0/0.</summary>
    public static string DerivationPathFor(int accountIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(accountIndex);
        return string.Format(CultureInfo.InvariantCulture, DerivationPathFormat, accountIndex);
    }

    /// <summary>The wallet of a valid mnemonic; throws <see cref="InvalidMnemonicException"/> otherwise.</summary>
    public static EvmWallet FromMnemonic(string mnemonic, string passphrase = "", int accountIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(accountIndex);
        return Bip39.FromSeed(mnemonic, passphrase, seed => FromSeed(seed, accountIndex));
    }

    /// <summary>The wallet at <see cref="DerivationPathFor"/>(<paramref name="accountIndex"/>) below a BIP39 seed.</summary>
    public static EvmWallet FromSeed(ReadOnlySpan<byte> bip39Seed, int accountIndex = 0)
    {
        using var key = Bip32.Derive(bip39Seed, DerivationPathFor(accountIndex));
        return new EvmWallet(key.PrivateKey);
    }

    /// <summary>The wallet of a 32-byte secp256k1 private key (copied).</summary>
    public static EvmWallet FromPrivateKey(ReadOnlySpan<byte> privateKey) => new(privateKey);

    /// <summary>The 65-byte <c>personal_sign</c> (EIP-191) signature of <paramref name="message"/>; see <see cref="EvmSignatures"/>.</summary>
    public byte[] SignPersonalMessage(ReadOnlySpan<byte> message) => EvmSignatures.SignPersonalMessage(PrivateKey, message);

    /// <summary>The 65-byte signature of a 32-byte hash the caller computed (e.g. an EIP-712 digest); see <see cref="EvmSignatures"/>.</summary>
    public byte[] SignHash(ReadOnlySpan<byte> hash32) => EvmSignatures.SignHash(PrivateKey, hash32);

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_privateKey);
    }

    /// <summary>The address only.</summary>
    public override string ToString() => Address;
}
