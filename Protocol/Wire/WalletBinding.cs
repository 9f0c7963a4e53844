using System.Buffers;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Wire;

/// <summary>
/// A wallet's consent to pay the relay fees of one chat identity (docs/PROTOCOL.md, "Fees"): the statement
/// <c>"ichat-wallet-binding-v1\0" ‖ identity (32) ‖ wallet (20)</c>, signed by the wallet with EIP-191
/// <c>personal_sign</c> (65 bytes <c>r ‖ s ‖ v</c>).
/// </summary>
/// <remarks>
/// <para>A phone sends the binding in its <c>auth</c> frame. The auth signature proves the identity; the binding proves
/// that the wallet agreed to pay for that identity. Both halves are needed: the wallet's signature names the identity, so
/// it cannot be attached to anyone else's connection, and only the holder of the identity's key can authenticate, so a
/// relay that has seen a binding cannot spend the wallet's tokens on messages of its own making.</para>
/// <para>The statement has no expiry and no relay in it: it is a standing consent, valid on every relay until the wallet
/// holds no more tokens. That is what lets a phone reuse one signature on every connection without the wallet key (the
/// wallet app may be elsewhere), and it costs nothing, since only the identity's own messages can be charged to it.
/// The label and its zero byte keep it from passing for any other message either key signs.</para>
/// </remarks>
public sealed class WalletBinding
{
    /// <summary>Length of an EVM address.</summary>
    public const int WalletBytes = 20;

    private static ReadOnlySpan<byte> Label => "ichat-wallet-binding-v1\0"u8;

    private readonly byte[] _signature;

    private WalletBinding(PublicKey identity, string wallet, byte[] signature)
    {
        Identity = identity;
        Wallet = wallet;
        _signature = signature;
    }

    /// <summary>The chat identity whose fees the wallet pays.</summary>
    public PublicKey Identity { get; }

    /// <summary>The paying wallet's address (EIP-55).</summary>
    public string Wallet { get; }

    /// <summary>The wallet's 65-byte <c>personal_sign</c> signature of <see cref="Message"/>.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The signed statement: label ‖ identity (32) ‖ wallet (20). <paramref name="wallet"/> is "0x" and 40 hex characters, any case.</summary>
    /// <exception cref="ArgumentException">The wallet is not an EVM address, or the identity is the default value.</exception>
    public static byte[] Message(PublicKey identity, string wallet)
    {
        var message = new byte[Label.Length + PublicKey.Length + WalletBytes];
        Label.CopyTo(message);
        identity.Bytes.CopyTo(message.AsSpan(Label.Length));
        if (!TryDecodeWallet(wallet, message.AsSpan(Label.Length + PublicKey.Length)))
        {
            throw new ArgumentException("The wallet is not an EVM address (0x and 40 hex characters).", nameof(wallet));
        }

        return message;
    }

    /// <summary>Signs the binding of <paramref name="identity"/> to <paramref name="wallet"/> with the wallet's key.</summary>
    public static WalletBinding Create(EvmWallet wallet, PublicKey identity)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        return new WalletBinding(identity, wallet.Address, wallet.SignPersonalMessage(Message(identity, wallet.Address)));
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is <paramref name="wallet"/>'s signature of the binding to
    /// <paramref name="identity"/>. False, never an exception, for a malformed wallet or signature.
    /// </summary>
    public static bool Verify(PublicKey identity, string? wallet, ReadOnlySpan<byte> signature) =>
        TryVerify(identity, wallet, signature, out _, out _);

    /// <summary>
    /// Checks a binding received from a phone; on success <paramref name="binding"/> holds it (the wallet in EIP-55 form),
    /// otherwise <paramref name="error"/> says what is wrong in a sentence a client developer can act on.
    /// </summary>
    public static bool TryVerify(PublicKey identity, string? wallet, ReadOnlySpan<byte> signature, out WalletBinding? binding, out string error)
    {
        binding = null;
        Span<byte> address = stackalloc byte[WalletBytes];
        if (!TryDecodeWallet(wallet, address))
        {
            error = "'wallet' must be an EVM address: 0x and 40 hex characters.";
            return false;
        }

        if (signature.Length != EvmSignatures.SignatureBytes)
        {
            error = $"'walletSignature' must be {EvmSignatures.SignatureBytes} bytes (r ‖ s ‖ v), base64-encoded; it has {signature.Length}.";
            return false;
        }

        var checksummed = Eip55.ToChecksumAddress(address);
        var signer = EvmSignatures.RecoverPersonalMessageSigner(Message(identity, checksummed), signature);
        if (!string.Equals(signer, checksummed, StringComparison.Ordinal))
        {
            error = signer is null
                ? "The wallet binding does not verify: 'walletSignature' is not a valid personal_sign signature (v 27 or 28, low s)."
                : $"The wallet binding does not verify: it was signed by {signer}, not by {checksummed}, or for another identity. "
                  + "Sign \"ichat-wallet-binding-v1\\0\" ‖ identity ‖ wallet with the wallet's personal_sign (docs/PROTOCOL.md, \"Fees\").";
            return false;
        }

        binding = new WalletBinding(identity, checksummed, signature.ToArray());
        error = string.Empty;
        return true;
    }

    /// <summary>Whether this binding's signature is by its wallet, for its identity.</summary>
    public bool Verify() => Verify(Identity, Wallet, _signature);

    private static bool TryDecodeWallet(string? wallet, Span<byte> destination) =>
        wallet is { Length: 2 + (2 * WalletBytes) }
        && wallet.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        && Convert.FromHexString(wallet.AsSpan(2), destination, out _, out var written) == OperationStatus.Done
        && written == WalletBytes;
}
