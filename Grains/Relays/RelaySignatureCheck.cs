using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Grains.Relays;

/// <summary>
/// Checks the signatures of registrations and unregistrations (<see cref="RelayRegistrationMessage"/>): the operator's
/// EIP-191 signature must recover to the operator's address, and a registration's Ed25519 signature must verify with the
/// relay key. Each check answers null when it passes, or a sentence saying what is wrong.
/// </summary>
internal static class RelaySignatureCheck
{
    private const int EvmSignatureBytes = 65;

    /// <summary>Checks both signatures of a registration whose fields are already known to be well formed.</summary>
    public static string? Registration(RelayRegistration registration, string operatorKey, string relayKey)
    {
        var message = RelayRegistrationMessage.Registration(operatorKey, relayKey, registration.IssuedAt, registration.Endpoint);
        if (Operator(message, registration.OperatorSignature, operatorKey) is { } operatorFault)
        {
            return operatorFault;
        }

        if (registration.RelaySignature is not { Length: 64 } relaySignature)
        {
            return $"The registration has no relay signature: it must carry 64 bytes of Ed25519 signature by the relay key (got {registration.RelaySignature?.Length ?? 0}).";
        }

        return PublicKey.Parse(relayKey).Verify(message, relaySignature)
            ? null
            : "The relay signature does not verify with the relay key: a node registers only with its own key's consent.";
    }

    /// <summary>Checks the operator's signature of an unregistration.</summary>
    public static string? Unregistration(RelayUnregistration unregistration, string operatorKey, string relayKey)
        => Operator(RelayRegistrationMessage.Unregistration(operatorKey, relayKey, unregistration.IssuedAt), unregistration.OperatorSignature, operatorKey);

    private static string? Operator(byte[] message, byte[]? signature, string operatorKey)
    {
        if (signature is not { Length: EvmSignatureBytes })
        {
            return $"The request is not signed by the operator: it must carry a {EvmSignatureBytes}-byte EIP-191 signature (r ‖ s ‖ v) by the operator's wallet (got {signature?.Length ?? 0} bytes).";
        }

        var signer = EvmSignatures.RecoverPersonalMessageSigner(message, signature);
        if (signer is null)
        {
            return "The operator signature is malformed: no address can be recovered from it.";
        }

        return string.Equals(signer, operatorKey, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The request is signed by {signer}, not by the operator {Eip55.ToChecksumAddress(operatorKey)}: sign it with the operator's wallet.";
    }
}
