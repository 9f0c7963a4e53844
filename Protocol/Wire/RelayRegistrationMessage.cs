using System.Buffers.Binary;
using System.Text;

namespace NexusOrleans.Protocol.Wire;

/// <summary>
/// The bytes a relay operator signs to register a relay node with the cluster, or to retire it
/// (docs/PROTOCOL.md, "Relay registration").
/// </summary>
/// <remarks>
/// <para>Registration: <c>"ichat-relay-registration-v1\0" ‖ operator (20) ‖ relay key (32) ‖ issued-at (u64 ms, big-endian) ‖
/// endpoint (UTF-8)</c>. Unregistration: <c>"ichat-relay-unregistration-v1\0" ‖ operator (20) ‖ relay key (32) ‖ issued-at</c>.</para>
/// <para>The operator signs with the wallet of the stake (EIP-191 <c>personal_sign</c>, so any Ethereum wallet can sign
/// it and show what it signs); a registration is also signed by the relay key itself (Ed25519), so nobody can register a
/// relay whose key they do not hold and collect the rewards of its service. The operator address is inside the message,
/// so a signature cannot be moved to another operator; the issued-at bounds a replay to the cluster's allowed clock skew,
/// and the cluster accepts only issued-at times later than the last one it accepted for a node, so an old registration
/// cannot undo a newer unregistration. Each message starts with its own ASCII label and a zero byte: neither can pass
/// for the other, nor for a handshake or an envelope signature.</para>
/// </remarks>
public static class RelayRegistrationMessage
{
    /// <summary>Length of an EVM address.</summary>
    public const int OperatorBytes = 20;

    /// <summary>Length of a relay's Ed25519 key.</summary>
    public const int RelayKeyBytes = 32;

    /// <summary>Longest endpoint URL accepted, in UTF-8 bytes.</summary>
    public const int MaxEndpointBytes = 512;

    private static ReadOnlySpan<byte> RegistrationLabel => "ichat-relay-registration-v1\0"u8;

    private static ReadOnlySpan<byte> UnregistrationLabel => "ichat-relay-unregistration-v1\0"u8;

    /// <summary>The registration message from its parts; <paramref name="operatorAddress"/> is "0x" and 40 hex (any case).</summary>
    public static byte[] Registration(string operatorAddress, string relayKey, DateTimeOffset issuedAt, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var endpointBytes = Encoding.UTF8.GetBytes(endpoint);
        if (endpointBytes.Length is 0 or > MaxEndpointBytes)
        {
            throw new ArgumentException($"The endpoint must be 1 to {MaxEndpointBytes} bytes of UTF-8, not {endpointBytes.Length}.", nameof(endpoint));
        }

        return Build(RegistrationLabel, operatorAddress, relayKey, issuedAt, endpointBytes);
    }

    /// <summary>The unregistration message from its parts.</summary>
    public static byte[] Unregistration(string operatorAddress, string relayKey, DateTimeOffset issuedAt)
        => Build(UnregistrationLabel, operatorAddress, relayKey, issuedAt, []);

    /// <summary>Unix milliseconds of <paramref name="issuedAt"/>, as signed (sub-millisecond ticks are not part of it).</summary>
    public static ulong IssuedAtMilliseconds(DateTimeOffset issuedAt)
    {
        var milliseconds = issuedAt.ToUnixTimeMilliseconds();
        return milliseconds >= 0
            ? (ulong)milliseconds
            : throw new ArgumentOutOfRangeException(nameof(issuedAt), issuedAt, "The issued-at time must not be before 1970.");
    }

    private static byte[] Build(ReadOnlySpan<byte> label, string operatorAddress, string relayKey, DateTimeOffset issuedAt, ReadOnlySpan<byte> tail)
    {
        var message = new byte[label.Length + OperatorBytes + RelayKeyBytes + sizeof(ulong) + tail.Length];
        var span = message.AsSpan();
        label.CopyTo(span);
        span = span[label.Length..];
        DecodeHex(StripPrefix(operatorAddress, nameof(operatorAddress)), span[..OperatorBytes], "an EVM address (0x and 40 hex characters)", nameof(operatorAddress));
        span = span[OperatorBytes..];
        DecodeHex(relayKey, span[..RelayKeyBytes], "a relay key (64 hex characters)", nameof(relayKey));
        span = span[RelayKeyBytes..];
        BinaryPrimitives.WriteUInt64BigEndian(span, IssuedAtMilliseconds(issuedAt));
        tail.CopyTo(span[sizeof(ulong)..]);
        return message;
    }

    private static string StripPrefix(string address, string name)
    {
        ArgumentNullException.ThrowIfNull(address, name);
        return address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? address[2..]
            : throw new ArgumentException("An operator address starts with 0x.", name);
    }

    private static void DecodeHex(string? hex, Span<byte> destination, string what, string name)
    {
        ArgumentNullException.ThrowIfNull(hex, name);
        if (hex.Length != destination.Length * 2
            || Convert.FromHexString(hex, destination, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != destination.Length)
        {
            throw new ArgumentException($"The value is not {what}.", name);
        }
    }
}
