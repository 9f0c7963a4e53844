using System.Diagnostics;
using System.Net.WebSockets;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Gateway.Connections;

/// <summary>The requests a phone can make: authenticate, send, ack, fetch, list relays, ping.</summary>
internal sealed partial class GatewayConnection
{
    private const int MaxAckIds = 256;
    private const int DefaultFetchLimit = 50;

    private Task DispatchAsync(WireFrame frame)
    {
        switch (frame.Type)
        {
            case FrameTypes.Ping:
                Queue(new WireFrame { Type = FrameTypes.Ok, Id = frame.Id });
                return Task.CompletedTask;
            case FrameTypes.Auth:
                return AuthenticateAsync(frame);
            case FrameTypes.Send or FrameTypes.Ack or FrameTypes.Fetch or FrameTypes.Relays when !IsAuthenticated:
                Reply(frame.Id, ErrorCodes.Unauthorized, $"Authenticate first: answer the hello's challenge with an '{FrameTypes.Auth}' frame.");
                return Task.CompletedTask;
            case FrameTypes.Send:
                return SendAsync(frame);
            case FrameTypes.Ack:
                return AckAsync(frame);
            case FrameTypes.Fetch:
                return FetchAsync(frame);
            case FrameTypes.Relays:
                return ListRelaysAsync(frame);
            case null:
                Reply(frame.Id, ErrorCodes.Invalid, "The frame has no 'type'.");
                return Task.CompletedTask;
            default:
                Reply(frame.Id, ErrorCodes.UnknownType, $"Unknown frame type '{Truncate(frame.Type)}'; phones send auth, send, ack, fetch, relays or ping.");
                return Task.CompletedTask;
        }
    }

    private async Task AuthenticateAsync(WireFrame frame)
    {
        if (IsAuthenticated)
        {
            Reply(frame.Id, ErrorCodes.Invalid, "This connection is already authenticated.");
            return;
        }

        if (!PublicKey.TryParse(frame.Key, out var identity))
        {
            Reply(frame.Id, ErrorCodes.Invalid, "'key' must be the identity: 64 hex characters of the Ed25519 public key.");
            return;
        }

        if (!TryDecodeBase64(frame.Signature, out var signature) || signature.Length != 64)
        {
            Reply(frame.Id, ErrorCodes.Invalid, "'signature' must be 64 bytes of Ed25519 signature, base64-encoded.");
            return;
        }

        if ((frame.Wallet is null) != (frame.WalletSignature is null))
        {
            Reply(frame.Id, ErrorCodes.Invalid, "'wallet' and 'walletSignature' go together: send both to bind a wallet that pays this identity's fees, or neither.");
            return;
        }

        if (!identity.Verify(Handshake.AuthMessage(_challenge, _gateway.Relay.Key.Bytes, identity.Bytes), signature))
        {
            FailAuthentication(frame.Id, ErrorCodes.Unauthorized, "The signature does not verify: sign this connection's challenge as docs/PROTOCOL.md describes.");
            return;
        }

        // Checked after the identity's signature, so recovering a secp256k1 key (the costly part) is only ever done for
        // a phone that holds its identity, and counted as a failed auth so a connection cannot ask for it without end.
        WalletBinding? binding = null;
        if (frame.Wallet is not null)
        {
            if (!TryDecodeBase64(frame.WalletSignature, out var walletSignature))
            {
                FailAuthentication(frame.Id, ErrorCodes.Invalid, "'walletSignature' must be the wallet's 65-byte personal_sign signature, base64-encoded. The connection is not authenticated.");
                return;
            }

            if (!WalletBinding.TryVerify(identity, frame.Wallet, walletSignature, out binding, out var bindingError))
            {
                FailAuthentication(frame.Id, ErrorCodes.Invalid, bindingError + " The connection is not authenticated.");
                return;
            }
        }

        // Authenticated only once subscribed: if the inbox cannot be reached the phone gets `unavailable` and may retry.
        await JoinInboxAsync(identity.ToString());
        _identity = identity;
        _identityText = identity.ToString();
        _payer = binding is null ? null : LedgerAccounts.Normalize(binding.Wallet);
        Queue(new WireFrame { Type = FrameTypes.Ok, Id = frame.Id, Identity = _identityText, Wallet = binding?.Wallet });
    }

    private void FailAuthentication(string? requestId, string code, string message)
    {
        var failures = ++_authenticationFailures;
        Reply(requestId, code, message);
        if (failures >= _gateway.Options.MaxAuthenticationFailures)
        {
            QueueClose((WebSocketCloseStatus)CloseCodes.AuthenticationFailed, "too many failed auth attempts");
        }
    }

    private async Task SendAsync(WireFrame frame)
    {
        // Each message is a trace of its own, not a child of the WebSocket's HTTP request, which lasts as long as the
        // connection (and, unsampled, would have every message's spans dropped with it).
        Activity.Current = null;
        using var activity = NexusTelemetry.Source.StartActivity("gateway receive", ActivityKind.Server);
        var maxBytes = _gateway.Options.MaxEnvelopeBytes;
        if (frame.Envelope is not { } encoded)
        {
            Reject(frame.Id, ErrorCodes.Invalid, "A send frame needs 'envelope': the encoded envelope, base64.");
            return;
        }

        if (encoded.Length == 0)
        {
            Reject(frame.Id, ErrorCodes.Invalid, "'envelope' is empty or not valid base64 (standard alphabet, with padding).");
            return;
        }

        if (!Envelope.TryDecode(encoded, maxBytes, out var envelope, out var error))
        {
            Reject(frame.Id, error!.Error == EnvelopeError.TooLarge ? ErrorCodes.TooLarge : ErrorCodes.Invalid, error.Message);
            return;
        }

        if (envelope.Sender != _identity)
        {
            Reject(frame.Id, ErrorCodes.Unauthorized, "The envelope is signed by another identity; a connection sends only its own identity's messages.");
            return;
        }

        var now = _gateway.Time.GetUtcNow();
        if (envelope.ExpiresAt <= now)
        {
            Reject(frame.Id, ErrorCodes.Expired, $"The envelope expired at {envelope.ExpiresAt:O}; it was not stored.");
            return;
        }

        if (envelope.CreatedAt > now + _gateway.Options.MaxClockSkew)
        {
            Reject(frame.Id, ErrorCodes.Invalid, $"The envelope's created-at {envelope.CreatedAt:O} is in the future (relay time {now:O}); check the phone's clock.");
            return;
        }

        // The fee is taken before the deposit and paid back when the inbox refuses (Fees/MessageFees.cs says why this order).
        var messageId = envelope.Id.ToString();
        activity?.SetTag("nexus.message_id", messageId);
        var fee = await _gateway.Fees.ChargeAsync(messageId, _identityText!, envelope.CreatedAt, _payer);
        if (fee.Refusal is { } refusal)
        {
            Reject(frame.Id, ErrorCodes.PaymentRequired, refusal);
            return;
        }

        var inbox = _gateway.Grains.GetGrain<IInboxGrain>(envelope.Recipient.ToString());
        var result = await inbox.Deposit(new InboxEnvelope(messageId, _identityText!, envelope.CreatedAt, envelope.ExpiresAt, encoded));
        if (result.Status is DepositStatus.InboxFull or DepositStatus.Expired)
        {
            await _gateway.Fees.RefundAsync(fee, messageId);
        }

        switch (result.Status)
        {
            case DepositStatus.Stored:
                _gateway.Metrics.Accepted();
                Queue(new WireFrame { Type = FrameTypes.Ok, Id = frame.Id, MessageId = messageId, ExpiresAt = result.ExpiresAt });
                break;
            case DepositStatus.Duplicate:
                _gateway.Metrics.Rejected(ErrorCodes.Duplicate);
                Queue(new WireFrame
                {
                    Type = FrameTypes.Error,
                    Id = frame.Id,
                    Code = ErrorCodes.Duplicate,
                    MessageId = messageId,
                    Message = "This message is already stored (sent through another relay) or was already read; nothing to do.",
                });
                break;
            case DepositStatus.InboxFull:
                Reject(frame.Id, ErrorCodes.InboxFull, result.Reason ?? "The recipient's inbox is full; nothing was stored.");
                break;
            case DepositStatus.Expired:
                Reject(frame.Id, ErrorCodes.Expired, $"The envelope expired at {envelope.ExpiresAt:O}; it was not stored.");
                break;
            default:
                throw new InvalidOperationException($"The inbox answered with an unknown status {result.Status}.");
        }
    }

    /// <summary>Answers a send that was not stored, and counts it under the code the phone gets.</summary>
    private void Reject(string? requestId, string code, string message)
    {
        _gateway.Metrics.Rejected(code);
        Activity.Current?.SetTag("nexus.error_code", code);
        Reply(requestId, code, message);
    }

    private async Task AckAsync(WireFrame frame)
    {
        if (frame.MessageIds is not { Length: > 0 and <= MaxAckIds } ids)
        {
            Reply(frame.Id, ErrorCodes.Invalid, $"An ack frame needs 'messageIds': 1 to {MaxAckIds} message ids.");
            return;
        }

        var normalised = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!MessageId.TryParse(ids[i], out var id))
            {
                Reply(frame.Id, ErrorCodes.Invalid, $"messageIds[{i}] is not a message id (64 hex characters).");
                return;
            }

            normalised[i] = id.ToString();
        }

        // Only the authenticated identity's own inbox: ids of anyone else's messages match nothing here.
        var burned = await _gateway.Grains.GetGrain<IInboxGrain>(_identityText!).Ack(normalised);
        Queue(new WireFrame { Type = FrameTypes.Ok, Id = frame.Id, Burned = burned });
    }

    private async Task FetchAsync(WireFrame frame)
    {
        var after = frame.After ?? 0;
        var limit = frame.Limit ?? DefaultFetchLimit;
        if (after < 0 || limit < 1)
        {
            Reply(frame.Id, ErrorCodes.Invalid, "'after' must be 0 or a 'next' cursor from an earlier fetch, and 'limit' at least 1.");
            return;
        }

        var page = await _gateway.Grains.GetGrain<IInboxGrain>(_identityText!).Fetch(after, limit);
        Queue(new WireFrame
        {
            Type = FrameTypes.Ok,
            Id = frame.Id,
            Envelopes = page.Envelopes.Select(envelope => envelope.Data).ToArray(),
            Next = page.Next,
            HasMore = page.HasMore,
        });
    }

    // This relay first, then the directory's live relays, then the configured peers, each key once. Without the
    // directory (unreachable) the answer is what this relay knows on its own, rather than an error.
    private async Task ListRelaysAsync(WireFrame frame)
    {
        var self = new RelayInfo(_gateway.Relay.Key.ToString(), _endpoint, _gateway.Relay.Wallet);
        IReadOnlyList<RelayDirectoryEntry> live = [];
        try
        {
            live = await _gateway.Grains.GetRelayDirectory().List();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogDirectoryUnavailable(_gateway.Logger, exception.GetType().Name, exception.Message);
        }

        var listed = new HashSet<string>(StringComparer.Ordinal) { self.Key };
        var relays = new List<RelayInfo> { self };
        foreach (var entry in live)
        {
            if (listed.Add(entry.RelayKey))
            {
                relays.Add(new RelayInfo(entry.RelayKey, entry.Endpoint, Eip55.ToChecksumAddress(entry.Operator)));
            }
        }

        foreach (var peer in _gateway.Options.Peers)
        {
            var key = peer.Key.ToLowerInvariant();
            if (listed.Add(key))
            {
                relays.Add(new RelayInfo(key, peer.Endpoint, peer.Wallet));
            }
        }

        Queue(new WireFrame { Type = FrameTypes.Ok, Id = frame.Id, Relays = [.. relays] });
    }

    private static bool TryDecodeBase64(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 4019, Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "Relays frame answered without the directory ({ExceptionType}: {Reason})")]
    private static partial void LogDirectoryUnavailable(Microsoft.Extensions.Logging.ILogger logger, string exceptionType, string reason);
}
