namespace NexusOrleans.Grains.Relays;

/// <summary>
/// An operator's signed request to list a relay node (docs/PROTOCOL.md, "Relay registration").
/// </summary>
/// <param name="Operator">The operator's EVM address ("0x" + 40 hex, any case): the wallet whose stake backs the node.</param>
/// <param name="RelayKey">The node's Ed25519 public key, 64 hex characters (the key it signs <c>hello</c> with).</param>
/// <param name="Endpoint">Where phones connect to the node: a <c>ws://</c> or <c>wss://</c> URL.</param>
/// <param name="IssuedAt">When the operator signed; only milliseconds count. The cluster refuses it outside its clock skew.</param>
/// <param name="OperatorSignature">65 bytes r ‖ s ‖ v: the operator wallet's EIP-191 personal_sign of the registration message.</param>
/// <param name="RelaySignature">64 bytes: the relay key's Ed25519 signature of the same message, proving the node consents.</param>
public sealed record RelayRegistration(
    string Operator,
    string RelayKey,
    string Endpoint,
    DateTimeOffset IssuedAt,
    byte[]? OperatorSignature,
    byte[]? RelaySignature);

/// <summary>An operator's signed request to retire a relay node; signed by the operator's wallet only (the node may be gone).</summary>
/// <param name="Operator">The operator's EVM address.</param>
/// <param name="RelayKey">The node's key, 64 hex characters.</param>
/// <param name="IssuedAt">When the operator signed; it must be later than the registration it retires.</param>
/// <param name="OperatorSignature">65 bytes: the operator wallet's EIP-191 personal_sign of the unregistration message.</param>
public sealed record RelayUnregistration(string Operator, string RelayKey, DateTimeOffset IssuedAt, byte[]? OperatorSignature);
