using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Serialization;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Wire;

/// <summary>
/// The body of <c>GET /v1/relays</c>: the cluster's live relays, signed by the relay that answered, so a phone that got
/// the list through anything it does not trust (a CDN, a cache, a proxy) can tell a genuine list from a forged or edited
/// one (docs/PROTOCOL.md, "Relay list").
/// </summary>
/// <param name="Relays">The listed relays, in the order signed.</param>
/// <param name="IssuedAt">When the list was made, Unix milliseconds (phones should distrust old lists).</param>
/// <param name="Relay">The signing relay's Ed25519 key, 64 hex characters.</param>
/// <param name="Signature">Base64 of the 64-byte Ed25519 signature of <see cref="RelayListSignature.Message"/>.</param>
public sealed record SignedRelayList(IReadOnlyList<ListedRelay> Relays, long IssuedAt, string Relay, string Signature);

/// <summary>One relay of a <see cref="SignedRelayList"/>.</summary>
/// <param name="Key">The relay's Ed25519 key, 64 lowercase hex characters.</param>
/// <param name="Endpoint">Its WebSocket URL.</param>
/// <param name="Operator">Its operator's EVM address (EIP-55).</param>
/// <param name="Stake">The operator's stake in base units (10^-18 iChat), as a decimal string: it does not fit a JSON number.</param>
/// <param name="Status"><c>live</c> or <c>stale</c>.</param>
/// <param name="LatencyMs">The cluster's latest latency measurement of the relay, or null until it has one.</param>
public sealed record ListedRelay(string Key, string Endpoint, string Operator, string Stake, string Status, int? LatencyMs);

/// <summary>The <see cref="ListedRelay.Status"/> values.</summary>
public static class ListedRelayStatus
{
    public const string Live = "live";
    public const string Stale = "stale";
}

/// <summary>
/// The bytes a relay signs for a <see cref="SignedRelayList"/>, and the check a phone makes. Every member of the JSON is
/// in them, in a fixed binary form, so a phone rebuilds them from what it parsed, whatever the JSON's spacing or member
/// order; the label keeps the signature from passing for a handshake, an envelope or a registration.
/// </summary>
public static class RelayListSignature
{
    /// <summary>Stands for a null latency.</summary>
    public const uint NoLatency = uint.MaxValue;

    private static readonly BigInteger Uint256Limit = BigInteger.One << 256;

    private static ReadOnlySpan<byte> Label => "ichat-relay-list-v1\0"u8;

    /// <summary>
    /// <c>"ichat-relay-list-v1\0" ‖ signer key (32) ‖ issuedAt (u64 ms) ‖ count (u32)</c>, then per relay
    /// <c>key (32) ‖ operator (20) ‖ stake (uint256) ‖ status (u8: 1 live, 2 stale) ‖ latency ms (u32, 0xFFFFFFFF = null) ‖
    /// endpoint length (u16) ‖ endpoint (UTF-8)</c>; integers big-endian.
    /// </summary>
    /// <exception cref="FormatException">A member cannot be encoded (not hex, not an address, not a decimal, unknown status, too long).</exception>
    public static byte[] Message(string signer, long issuedAt, IReadOnlyList<ListedRelay> relays)
    {
        ArgumentNullException.ThrowIfNull(relays);
        if (issuedAt < 0)
        {
            throw new FormatException("issuedAt must not be negative.");
        }

        using var buffer = new MemoryStream();
        buffer.Write(Label);
        buffer.Write(Hex(signer, 32, "relay"));
        WriteUInt64(buffer, (ulong)issuedAt);
        WriteUInt32(buffer, (uint)relays.Count);
        foreach (var relay in relays)
        {
            ArgumentNullException.ThrowIfNull(relay);
            buffer.Write(Hex(relay.Key, 32, "key"));
            buffer.Write(Hex(relay.Operator is { Length: 42 } address && address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? address[2..] : null, 20, "operator"));
            buffer.Write(Stake(relay.Stake));
            buffer.WriteByte(relay.Status switch
            {
                ListedRelayStatus.Live => 1,
                ListedRelayStatus.Stale => 2,
                _ => throw new FormatException($"status must be '{ListedRelayStatus.Live}' or '{ListedRelayStatus.Stale}'."),
            });
            WriteUInt32(buffer, relay.LatencyMs switch
            {
                null => NoLatency,
                >= 0 and var latency => (uint)latency,
                _ => throw new FormatException("latencyMs must not be negative."),
            });
            var endpoint = Encoding.UTF8.GetBytes(relay.Endpoint ?? throw new FormatException("endpoint is missing."));
            if (endpoint.Length > ushort.MaxValue)
            {
                throw new FormatException("endpoint is too long.");
            }

            buffer.WriteByte((byte)(endpoint.Length >> 8));
            buffer.WriteByte((byte)endpoint.Length);
            buffer.Write(endpoint);
        }

        return buffer.ToArray();
    }

    /// <summary>The list of <paramref name="relays"/>, signed by <paramref name="relayKeys"/> as of <paramref name="issuedAt"/> (Unix ms).</summary>
    public static SignedRelayList Sign(ChatKeys relayKeys, long issuedAt, IReadOnlyList<ListedRelay> relays)
    {
        ArgumentNullException.ThrowIfNull(relayKeys);
        var signer = relayKeys.Identity.ToString();
        var signature = relayKeys.Sign(Message(signer, issuedAt, relays));
        return new SignedRelayList(relays.ToArray(), issuedAt, signer, Convert.ToBase64String(signature));
    }

    /// <summary>
    /// True when <paramref name="list"/> is signed by the relay it names. Says nothing about whether that relay is one the
    /// phone trusts: compare <see cref="SignedRelayList.Relay"/> with a key it knows (from a <c>hello</c> it checked, say).
    /// </summary>
    public static bool Verify(SignedRelayList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (list.Relays is null || !PublicKey.TryParse(list.Relay, out var signer))
        {
            return false;
        }

        byte[] message;
        byte[] signature;
        try
        {
            message = Message(list.Relay, list.IssuedAt, list.Relays);
            signature = Convert.FromBase64String(list.Signature ?? string.Empty);
        }
        catch (FormatException)
        {
            return false;
        }

        return signer.Verify(message, signature);
    }

    private static byte[] Hex(string? hex, int bytes, string member)
    {
        var result = new byte[bytes];
        if (hex is null || hex.Length != bytes * 2
            || Convert.FromHexString(hex, result, out _, out var written) != System.Buffers.OperationStatus.Done || written != bytes)
        {
            throw new FormatException($"{member} must be {bytes * 2} hex characters.");
        }

        return result;
    }

    private static byte[] Stake(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 78 || !text.All(char.IsAsciiDigit))
        {
            throw new FormatException("stake must be a decimal number of base units.");
        }

        var value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value >= Uint256Limit)
        {
            throw new FormatException("stake must be below 2^256.");
        }

        // Right-aligned: a big-endian uint256.
        var result = new byte[32];
        var count = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(result.AsSpan(result.Length - count), out _, isUnsigned: true, isBigEndian: true);
        return result;
    }

    private static void WriteUInt64(Stream stream, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }
}

/// <summary>
/// System.Text.Json settings of <see cref="SignedRelayList"/>: camelCase, and null members written (a null
/// <c>latencyMs</c> says "not measured yet"), unknown members skipped.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(SignedRelayList))]
public sealed partial class RelayListJson : JsonSerializerContext;
