using System.Text.Json.Serialization;

namespace NexusOrleans.Protocol.Wire;

/// <summary>
/// One JSON text frame of the phone ↔ relay WebSocket protocol (docs/PROTOCOL.md, "Wire protocol"). Every frame type
/// uses a subset of these members; absent members are left out of the JSON. Phones and relays parse and write frames
/// with <see cref="WireJson"/>, so both sides agree on names and encodings by construction.
/// </summary>
public sealed class WireFrame
{
    /// <summary>The frame type: one of <see cref="FrameTypes"/>.</summary>
    public string? Type { get; set; }

    /// <summary>The request id chosen by the phone, echoed in the answer.</summary>
    public string? Id { get; set; }

    // hello (relay → phone)
    public int? Protocol { get; set; }

    public string? Challenge { get; set; }

    public RelayInfo? Relay { get; set; }

    public int? MaxFrameBytes { get; set; }

    public int? MaxEnvelopeBytes { get; set; }

    // auth (phone → relay) and the hello's signature
    public string? Key { get; set; }

    public string? Signature { get; set; }

    // auth (phone → relay), optional: the wallet that pays this identity's fees and its binding signature (WalletBinding);
    // the auth's ok answer echoes the wallet once the binding verified
    public string? Wallet { get; set; }

    public string? WalletSignature { get; set; }

    // send, deliver: the encoded envelope, base64 on the wire
    [JsonConverter(typeof(LenientBase64Converter))]
    public byte[]? Envelope { get; set; }

    // ack
    public string[]? MessageIds { get; set; }

    // fetch
    public long? After { get; set; }

    public int? Limit { get; set; }

    // answers
    public string? MessageId { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public int? Burned { get; set; }

    [JsonConverter(typeof(LenientBase64ArrayConverter))]
    public byte[][]? Envelopes { get; set; }

    public long? Next { get; set; }

    public bool? HasMore { get; set; }

    public RelayInfo[]? Relays { get; set; }

    public string? Identity { get; set; }

    // error
    public string? Code { get; set; }

    public string? Message { get; set; }

    public int? RetryAfterMs { get; set; }
}

/// <summary>A relay as phones see it: its Ed25519 key (hex), where to connect, and its operator's EVM wallet when known.</summary>
public sealed record RelayInfo(string Key, string Endpoint, string? Wallet = null);

/// <summary>The <c>type</c> values of <see cref="WireFrame"/>.</summary>
public static class FrameTypes
{
    public const string Hello = "hello";
    public const string Auth = "auth";
    public const string Send = "send";
    public const string Ack = "ack";
    public const string Fetch = "fetch";
    public const string Relays = "relays";
    public const string Ping = "ping";
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Deliver = "deliver";
}

/// <summary>The machine-readable <c>code</c> of an error frame.</summary>
public static class ErrorCodes
{
    /// <summary>The frame or the envelope is malformed, or a field is out of range; the message says which.</summary>
    public const string Invalid = "invalid";

    /// <summary>The frame type is not one this relay knows.</summary>
    public const string UnknownType = "unknown-type";

    /// <summary>Not authenticated yet, a bad authentication signature, or an envelope from another identity.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The frame or the envelope is larger than the relay accepts.</summary>
    public const string TooLarge = "too-large";

    /// <summary>Too many frames from this identity or address; retry after <c>retryAfterMs</c>.</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>The recipient's inbox is at its count or byte limit; nothing was stored.</summary>
    public const string InboxFull = "inbox-full";

    /// <summary>The envelope's expiry has already passed.</summary>
    public const string Expired = "expired";

    /// <summary>The message is already stored (sent through another relay) or was already read; nothing to do.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>
    /// The network charges a fee for this message and it could not be paid: no wallet is bound to the connection, or the
    /// wallet's balance is below the fee (the message names both amounts). Nothing was stored.
    /// </summary>
    public const string PaymentRequired = "payment-required";

    /// <summary>The cluster could not serve the request right now; retrying is safe (every request is idempotent).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>An unexpected failure in the relay; retrying is safe.</summary>
    public const string Internal = "internal";
}

/// <summary>WebSocket close codes a relay uses (4000–4999 is the application range).</summary>
public static class CloseCodes
{
    /// <summary>No valid <c>auth</c> frame arrived in time.</summary>
    public const int AuthenticationTimeout = 4000;

    /// <summary>Too many failed <c>auth</c> frames on one connection.</summary>
    public const int AuthenticationFailed = 4001;

    /// <summary>The relay is shutting down; reconnect to another relay (or this one later).</summary>
    public const int ReconnectElsewhere = 4002;
}

/// <summary>The System.Text.Json settings of the wire protocol: camelCase names, absent members omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(WireFrame))]
public sealed partial class WireJson : JsonSerializerContext;
