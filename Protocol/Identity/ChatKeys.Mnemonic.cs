using System.Globalization;
using System.Security.Cryptography;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// Chat keys from the user's mnemonic: BIP39 seed → SLIP-0010 ed25519 at <see cref="DerivationPathFormat"/> → the
/// Ed25519 key pair (and the X25519 key converted from it). All hardened, as ed25519 requires; a different account
/// gives an unrelated identity from the same mnemonic. Intermediate secrets (seed, derived key, chain code) are wiped.
/// </summary>
public sealed partial class ChatKeys
{
    /// <summary>
    /// The chat identity's path for account <c>{0}</c>: purpose 44', coin type 7337' (iChat), the account, then 0'/0'
    /// (fixed change and index levels, hardened because ed25519 has no other kind).
    /// </summary>
    public const string DerivationPathFormat = "m/44'/7337'/{0}'/0'/0'";

    /// <summary>The path of <paramref name="account"/> (0 to 2^31-1), e.g. m/44'/7337'/0'/0'/0'.</summary>
    public static string DerivationPathFor(int account)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(account);
        return string.Format(CultureInfo.InvariantCulture, DerivationPathFormat, account);
    }

    /// <summary>
    /// The chat keys of a mnemonic. Throws <see cref="InvalidMnemonicException"/> (saying what is wrong) for an invalid
    /// mnemonic, so a typo never becomes a different identity.
    /// </summary>
    public static ChatKeys FromMnemonic(string mnemonic, string passphrase = "", int account = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(account);
        return Bip39.FromSeed(mnemonic, passphrase, seed => FromSeed(seed, account));
    }

    /// <summary>The chat keys at <see cref="DerivationPathFor"/>(<paramref name="account"/>) below a 64-byte BIP39 seed.</summary>
    public static ChatKeys FromSeed(ReadOnlySpan<byte> bip39Seed, int account = 0)
    {
        using var key = Slip10.DeriveEd25519(bip39Seed, DerivationPathFor(account));
        return FromEd25519Seed(key.PrivateKey);
    }
}
