using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Gateway.Connections;

/// <summary>
/// One phone's WebSocket: the handshake, then one request at a time in arrival order, and pushes from its inbox.
/// </summary>
/// <remarks>
/// <para>Two loops share the socket. The receive loop reads a whole message, handles it and only then reads the
/// next, so a phone's requests are answered in order and one phone can never have more than one request inside the
/// cluster. Every frame to the phone (answers and pushed deliveries) goes through one bounded queue drained by the
/// write loop, the socket's only writer. When the queue is full the phone is not reading: it is disconnected rather
/// than buffered without limit, and nothing is lost, because a delivery leaves the inbox only when the phone acks it.</para>
/// <para>A malformed frame, an unknown type or a bad signature is answered with an error frame and the connection
/// goes on; only a failed handshake (too many bad signatures, or none in time) and a full queue close it. Failures of
/// one connection never reach another: each has its own loops, buffers and queue.</para>
/// </remarks>
internal sealed partial class GatewayConnection : IInboxObserver
{
    private const int ReceiveBufferBytes = 4096;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly GatewayContext _gateway;
    private readonly string _address;
    private readonly string _endpoint;
    private readonly Channel<Outgoing> _outbox;
    private readonly CancellationTokenSource _aborted;
    private readonly byte[] _challenge = new byte[Handshake.ChallengeBytes];
    private PublicKey _identity;
    private string? _identityText;
    private string? _payer;
    private IInboxObserver? _observerReference;
    private Task _renewal = Task.CompletedTask;
    private int _authenticationFailures;
    private int _closing;

    public GatewayConnection(WebSocket socket, GatewayContext gateway, string address, string endpoint, CancellationToken requestAborted)
    {
        _socket = socket;
        _gateway = gateway;
        _address = address;
        _endpoint = endpoint;
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        _outbox = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(gateway.Options.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    private bool IsAuthenticated => _identityText is not null;

    /// <summary>Runs the connection until the phone leaves, it is closed, or the gateway stops.</summary>
    public async Task RunAsync()
    {
        _gateway.Connections.Add(this);
        var writer = WriteLoopAsync();
        try
        {
            // The deadline runs from before the hello, so the phone's time to answer is never longer than configured.
            using var authenticationDeadline = _gateway.Time.CreateTimer(
                static state => ((GatewayConnection)state!).OnAuthenticationTimeout(),
                this,
                _gateway.Options.AuthenticationTimeout,
                Timeout.InfiniteTimeSpan);
            SendHello();
            await ReceiveLoopAsync();
        }
        catch (OperationCanceledException) when (_aborted.IsCancellationRequested)
        {
        }
        catch (WebSocketException exception)
        {
            LogSocketFailed(_gateway.Logger, exception.WebSocketErrorCode.ToString());
        }
        finally
        {
            // Whatever comes after this (a late push) has nowhere to go; it waits in the inbox for the next connection.
            Volatile.Write(ref _closing, 1);
            _outbox.Writer.TryComplete();
            await LeaveInboxAsync();
            _gateway.Connections.Remove(this);
            await writer;
            await _aborted.CancelAsync();
            await _renewal;
            _aborted.Dispose();
        }
    }

    /// <summary>Asks the phone to go (the gateway is stopping): a close frame with <paramref name="code"/>, after anything already queued.</summary>
    public void Close(int code, string reason) => QueueClose((WebSocketCloseStatus)code, reason);

    /// <summary>A delivery pushed by the inbox: queued for the phone, or the phone is dropped if it is not keeping up.</summary>
    Task IInboxObserver.Deliver(InboxEnvelope envelope)
    {
        using var activity = NexusTelemetry.Source.StartActivity("delivery push", ActivityKind.Producer);
        Push(envelope);
        return Task.CompletedTask;
    }

    /// <summary>Queues a delivery for the phone and measures how long after its creation it went out.</summary>
    private void Push(InboxEnvelope envelope)
    {
        Queue(new WireFrame { Type = FrameTypes.Deliver, Envelope = envelope.Data });
        _gateway.Metrics.Delivered(_gateway.Time.GetUtcNow() - envelope.CreatedAt);
    }

    private void SendHello()
    {
        Sodium.RandomBytes(_challenge);
        var relay = _gateway.Relay;
        var signature = relay.Keys.Sign(Handshake.HelloMessage(_challenge, relay.Key.Bytes, _endpoint));
        Queue(new WireFrame
        {
            Type = FrameTypes.Hello,
            Protocol = Handshake.ProtocolVersion,
            Challenge = Convert.ToBase64String(_challenge),
            Relay = new RelayInfo(relay.Key.ToString(), _endpoint, relay.Wallet),
            Signature = Convert.ToBase64String(signature),
            MaxFrameBytes = _gateway.Options.MaxFrameBytes,
            MaxEnvelopeBytes = _gateway.Options.MaxEnvelopeBytes,
        });
    }

    private void OnAuthenticationTimeout()
    {
        if (!IsAuthenticated)
        {
            QueueClose((WebSocketCloseStatus)CloseCodes.AuthenticationTimeout, "no valid auth frame in time");
        }
    }

    // Each message is awaited with a zero-byte receive first, which completes once its frame header has arrived (the
    // WebSocket reads the header into its own small buffer) and holds no buffer of ours meanwhile. Only then is a
    // buffer rented from the pool, and it goes back as soon as the frame is parsed, before the request goes into the
    // cluster: an idle phone costs no receive buffer, and a busy one holds it for microseconds, not for a storage write.
    private async Task ReceiveLoopAsync()
    {
        while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var header = await _socket.ReceiveAsync(Memory<byte>.Empty, _aborted.Token);
            if (header.MessageType == WebSocketMessageType.Close)
            {
                QueueClose(WebSocketCloseStatus.NormalClosure, "bye");
                return;
            }

            WireFrame? frame;
            var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
            try
            {
                var first = header.EndOfMessage ? header : await _socket.ReceiveAsync(buffer.AsMemory(), _aborted.Token);
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    QueueClose(WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                }

                frame = first.EndOfMessage
                    ? Parse(header.MessageType, buffer.AsSpan(0, first.Count))
                    : await ReceiveLongMessageAsync(buffer, first);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (frame is not null)
            {
                await HandleFrameAsync(frame);
            }
        }
    }

    // A message larger than the first buffer is gathered in a larger pooled buffer that goes back to the pool right
    // after it is parsed. Past MaxFrameBytes the rest is read and dropped. Null when there is nothing to handle.
    private async Task<WireFrame?> ReceiveLongMessageAsync(byte[] buffer, ValueWebSocketReceiveResult first)
    {
        var limit = _gateway.Options.MaxFrameBytes;
        var gathered = ArrayPool<byte>.Shared.Rent(Math.Min(limit, ReceiveBufferBytes * 4));
        try
        {
            buffer.AsSpan(0, first.Count).CopyTo(gathered);
            var length = first.Count;
            var tooLarge = false;
            ValueWebSocketReceiveResult next;
            do
            {
                next = await _socket.ReceiveAsync(buffer.AsMemory(), _aborted.Token);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    QueueClose(WebSocketCloseStatus.NormalClosure, "bye");
                    return null;
                }

                if (tooLarge || length + next.Count > limit)
                {
                    tooLarge = true;
                    length += next.Count;
                    continue;
                }

                if (length + next.Count > gathered.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(limit, Math.Max(gathered.Length * 2, length + next.Count)));
                    gathered.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(gathered);
                    gathered = larger;
                }

                buffer.AsSpan(0, next.Count).CopyTo(gathered.AsSpan(length));
                length += next.Count;
            }
            while (!next.EndOfMessage);

            if (tooLarge)
            {
                Reply(null, ErrorCodes.TooLarge, $"The frame is larger than the {limit} bytes this relay accepts; it was discarded.");
                return null;
            }

            return Parse(first.MessageType, gathered.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    // The frame in a message, or null after answering why there is none (binary, malformed, empty).
    private WireFrame? Parse(WebSocketMessageType type, ReadOnlySpan<byte> message)
    {
        if (type != WebSocketMessageType.Text)
        {
            Reply(null, ErrorCodes.Invalid, "Frames are JSON text; binary frames are not accepted.");
            return null;
        }

        WireFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(message, WireJson.Default.WireFrame);
        }
        catch (JsonException exception)
        {
            Reply(null, ErrorCodes.Invalid, $"The frame is not valid JSON for this protocol: {exception.Message}");
            return null;
        }

        if (frame is null)
        {
            Reply(null, ErrorCodes.Invalid, "The frame is empty; send a JSON object with a 'type'.");
        }

        return frame;
    }

    private async Task HandleFrameAsync(WireFrame frame)
    {
        if (!TryTakePermit(frame.Id))
        {
            return;
        }

        try
        {
            await DispatchAsync(frame);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRequestFailed(_gateway.Logger, frame.Type ?? "?", exception.GetType().Name, exception.Message);
            if (frame.Type == FrameTypes.Send)
            {
                _gateway.Metrics.Rejected(ErrorCodes.Unavailable);
            }

            OnRequestFailed(exception);
            Reply(frame.Id, ErrorCodes.Unavailable, "The relay could not complete the request right now; nothing was changed by it and retrying is safe.");
        }
    }

    private bool TryTakePermit(string? requestId)
    {
        var acquired = IsAuthenticated
            ? _gateway.Limiters.TryAcquireForIdentity(_identityText!, out var retryAfter)
            : _gateway.Limiters.TryAcquireForAddress(_address, out retryAfter);
        if (acquired)
        {
            return true;
        }

        Queue(new WireFrame
        {
            Type = FrameTypes.Error,
            Id = requestId,
            Code = ErrorCodes.RateLimited,
            Message = IsAuthenticated
                ? "Too many frames from this identity; slow down and retry after retryAfterMs."
                : "Too many frames from this address; slow down and retry after retryAfterMs.",
            RetryAfterMs = (int)Math.Ceiling(retryAfter.TotalMilliseconds),
        });
        return false;
    }

    private void Reply(string? requestId, string code, string message) =>
        Queue(new WireFrame { Type = FrameTypes.Error, Id = requestId, Code = code, Message = message });

    private void Queue(WireFrame frame)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, WireJson.Default.WireFrame);
        if (!_outbox.Writer.TryWrite(new Outgoing(bytes, null, null)) && Volatile.Read(ref _closing) == 0)
        {
            // The phone has stopped reading. Unacked deliveries stay in its inbox for its next connection.
            LogSlowConsumer(_gateway.Logger, _gateway.Options.SendQueueCapacity);
            Abort();
        }
    }

    private void QueueClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        if (!_outbox.Writer.TryWrite(new Outgoing(null, status, reason)))
        {
            Abort();
        }
    }

    private void Abort()
    {
        Volatile.Write(ref _closing, 1);
        _outbox.Writer.TryComplete();
        _socket.Abort();
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var item in _outbox.Reader.ReadAllAsync())
            {
                if (item.CloseStatus is { } status)
                {
                    await _socket.CloseOutputAsync(status, item.CloseReason, CancellationToken.None);
                    // Give the phone a moment to answer the close; the receive loop ends when it does.
                    _aborted.CancelAfter(CloseHandshakeTimeout);
                    return;
                }

                await _socket.SendAsync(item.Frame!, WebSocketMessageType.Text, endOfMessage: true, _aborted.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Abort();
        }
    }

    private readonly record struct Outgoing(byte[]? Frame, WebSocketCloseStatus? CloseStatus, string? CloseReason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Connection ended by a socket error: {Error}")]
    private static partial void LogSocketFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Disconnected a phone that stopped reading: its send queue of {Capacity} frames is full; its messages stay in its inbox.")]
    private static partial void LogSlowConsumer(ILogger logger, int capacity);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "A {FrameType} request failed with {ExceptionType}: {Reason}")]
    private static partial void LogRequestFailed(ILogger logger, string frameType, string exceptionType, string reason);
}
