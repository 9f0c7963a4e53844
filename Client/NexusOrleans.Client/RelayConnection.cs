using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Client;

/// <summary>
/// One WebSocket to one relay: checks the relay's signed hello, authenticates, then matches answers to requests by
/// id while handing pushed deliveries to the client.
/// </summary>
/// <remarks>
/// Sends are serialised by a semaphore (a WebSocket allows one send at a time); the receive loop is the only reader.
/// When the socket ends for any reason every pending request fails at once with <see cref="IOException"/>, so a caller
/// never waits on a dead relay; the client then reconnects it in the background.
/// </remarks>
internal sealed class RelayConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<WireFrame>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<RelayConnection, byte[]> _onDeliver;
    private readonly Action<RelayConnection> _onClosed;
    private readonly TimeSpan _requestTimeout;
    private Task _receiveLoop = Task.CompletedTask;
    private long _nextRequest;
    private int _closed;

    private RelayConnection(Uri endpoint, TimeSpan requestTimeout, Action<RelayConnection, byte[]> onDeliver, Action<RelayConnection> onClosed)
    {
        Endpoint = endpoint;
        _requestTimeout = requestTimeout;
        _onDeliver = onDeliver;
        _onClosed = onClosed;
    }

    /// <summary>The URL this connection was opened to.</summary>
    public Uri Endpoint { get; }

    /// <summary>The relay as it introduced itself in its signed hello.</summary>
    public RelayInfo Relay { get; private set; } = new(string.Empty, string.Empty);

    /// <summary>Whether the socket is still usable.</summary>
    public bool IsOpen => Volatile.Read(ref _closed) == 0 && _socket.State == WebSocketState.Open;

    /// <summary>Connects, verifies the relay's hello and authenticates as <paramref name="keys"/> (with the options' wallet binding, if any).</summary>
    public static async Task<RelayConnection> ConnectAsync(
        Uri endpoint, ChatKeys keys, ChatClientOptions options, Action<RelayConnection, byte[]> onDeliver, Action<RelayConnection> onClosed, CancellationToken cancellationToken)
    {
        var connection = new RelayConnection(endpoint, options.RequestTimeout, onDeliver, onClosed);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await connection._socket.ConnectAsync(endpoint, timeout.Token);
            var hello = await connection.ReceiveFrameAsync(timeout.Token)
                        ?? throw new IOException($"{endpoint} closed the connection before its hello.");
            var challenge = connection.CheckHello(hello);
            connection._receiveLoop = connection.ReceiveLoopAsync();
            var signature = keys.Sign(Handshake.AuthMessage(challenge, PublicKey.Parse(connection.Relay.Key).Bytes, keys.Identity.Bytes));
            var binding = options.WalletBinding;
            await connection.RequestAsync(
                new WireFrame
                {
                    Type = FrameTypes.Auth,
                    Key = keys.Identity.ToString(),
                    Signature = Convert.ToBase64String(signature),
                    Wallet = binding?.Wallet,
                    WalletSignature = binding is null ? null : Convert.ToBase64String(binding.Signature),
                },
                timeout.Token);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="frame"/> with a fresh id and waits for its answer; an error answer throws <see cref="RelayException"/>.</summary>
    public async Task<WireFrame> RequestAsync(WireFrame frame, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextRequest).ToString(CultureInfo.InvariantCulture);
        frame.Id = id;
        var answer = new TaskCompletionSource<WireFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (!IsOpen)
            {
                throw new IOException($"The connection to {Endpoint} is closed.");
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, WireJson.Default.WireFrame);
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _sendLock.Release();
            }

            var reply = await answer.Task.WaitAsync(_requestTimeout, cancellationToken);
            if (reply.Type == FrameTypes.Error)
            {
                throw new RelayException(reply.Code ?? "unknown", reply.Message ?? string.Empty, Endpoint);
            }

            return reply;
        }
        catch (TimeoutException)
        {
            throw new IOException($"{Endpoint} did not answer a {frame.Type} request within {_requestTimeout.TotalSeconds:0.#} s.");
        }
        catch (WebSocketException exception)
        {
            throw new IOException($"The connection to {Endpoint} failed: {exception.Message}", exception);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                }
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }

            _stop.Cancel();
        }

        await _receiveLoop;
        _socket.Dispose();
    }

    private byte[] CheckHello(WireFrame hello)
    {
        if (hello.Type != FrameTypes.Hello || hello.Relay is null || hello.Challenge is null || hello.Signature is null)
        {
            throw new IOException($"{Endpoint} did not start with a hello frame; is it an iChat relay?");
        }

        if (hello.Protocol != Handshake.ProtocolVersion)
        {
            throw new IOException($"{Endpoint} speaks protocol {hello.Protocol}; this client speaks {Handshake.ProtocolVersion}.");
        }

        var challenge = Convert.FromBase64String(hello.Challenge);
        if (!PublicKey.TryParse(hello.Relay.Key, out var relayKey)
            || challenge.Length != Handshake.ChallengeBytes
            || !relayKey.Verify(Handshake.HelloMessage(challenge, relayKey.Bytes, hello.Relay.Endpoint), Convert.FromBase64String(hello.Signature)))
        {
            throw new IOException($"{Endpoint} sent a hello whose signature does not verify; not connecting to it.");
        }

        Relay = hello.Relay;
        return challenge;
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (await ReceiveFrameAsync(_stop.Token) is { } frame)
            {
                if (frame.Type == FrameTypes.Deliver && frame.Envelope is { } envelope)
                {
                    _onDeliver(this, envelope);
                }
                else if (frame.Id is { } id && _pending.TryGetValue(id, out var answer))
                {
                    answer.TrySetResult(frame);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or JsonException or ObjectDisposedException)
        {
        }
        finally
        {
            Interlocked.Exchange(ref _closed, 1);
            foreach (var (_, answer) in _pending)
            {
                answer.TrySetException(new IOException($"The connection to {Endpoint} closed."));
            }

            _onClosed(this);
        }
    }

    private async Task<WireFrame?> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    return JsonSerializer.Deserialize(buffer.AsSpan(0, length), WireJson.Default.WireFrame);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
