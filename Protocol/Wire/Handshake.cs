using System.Text;

namespace NexusOrleans.Protocol.Wire;

/// <summary>
/// The bytes each side signs during the WebSocket handshake (docs/PROTOCOL.md, "Handshake").
/// </summary>
/// <remarks>
/// The relay signs its fresh challenge with its key so the phone knows which relay it reached; the phone signs the
/// same challenge together with the relay's key and its own identity. Because the challenge is random per connection
/// and used once, a signature captured from one connection is worthless on any other (no replay), and because the
/// relay's key is inside what the phone signs, a relay cannot pass a phone's answer on to another relay.
/// Each message starts with a distinct ASCII label and a zero byte, so neither can be mistaken for the other or for an envelope.
/// </remarks>
public static class Handshake
{
    /// <summary>Length of a challenge in bytes.</summary>
    public const int ChallengeBytes = 32;

    /// <summary>The protocol version relays announce in <c>hello</c>.</summary>
    public const int ProtocolVersion = 1;

    private static readonly byte[] HelloLabel = Encoding.ASCII.GetBytes("ichat-hello-v1\0");
    private static readonly byte[] AuthLabel = Encoding.ASCII.GetBytes("ichat-auth-v1\0");

    /// <summary>What a relay signs in <c>hello</c>: label ‖ challenge (32) ‖ relay key (32) ‖ UTF-8 endpoint.</summary>
    public static byte[] HelloMessage(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> relayKey, string endpoint)
    {
        RequireLength(challenge, ChallengeBytes, nameof(challenge));
        RequireLength(relayKey, 32, nameof(relayKey));
        var endpointBytes = Encoding.UTF8.GetBytes(endpoint);
        return [.. HelloLabel, .. challenge, .. relayKey, .. endpointBytes];
    }

    /// <summary>What a phone signs in <c>auth</c>: label ‖ challenge (32) ‖ relay key (32) ‖ phone identity (32).</summary>
    public static byte[] AuthMessage(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> relayKey, ReadOnlySpan<byte> identity)
    {
        RequireLength(challenge, ChallengeBytes, nameof(challenge));
        RequireLength(relayKey, 32, nameof(relayKey));
        RequireLength(identity, 32, nameof(identity));
        return [.. AuthLabel, .. challenge, .. relayKey, .. identity];
    }

    private static void RequireLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes long, not {value.Length}.", name);
        }
    }
}
