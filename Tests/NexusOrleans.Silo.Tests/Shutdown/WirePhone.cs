using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Silo.Tests.Shutdown;

/// <summary>
/// A phone speaking the wire protocol itself, so a test sees what the product's client hides: the code the relay closed
/// the connection with, and exactly which sends the relay answered <c>ok</c>. One loop reads every frame: answers
/// complete their request, deliveries are kept for the test.
/// </summary>
public sealed class WirePhone : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<WireFrame>> _pending = new();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reading = Task.CompletedTask;
    private int _nextId;

    private WirePhone(ChatKeys keys) => Keys = keys;

    public ChatKeys Keys { get; }

    /// <summary>Message ids pushed to this phone, in order of arrival.</summary>
    public ConcurrentQueue<MessageId> Delivered { get; } = new();

    /// <summary>Completes when the relay closed the connection, with the close code it gave (null: no close frame).</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <summary>Connects as <paramref name="keys"/> (the caller's) and authenticates.</summary>
    public static async Task<WirePhone> ConnectAsync(Uri endpoint, ChatKeys keys)
    {
        var phone = new WirePhone(keys);
        await phone._socket.ConnectAsync(endpoint, CancellationToken.None);
        var hello = await phone.ReceiveAsync() ?? throw new InvalidOperationException("The relay closed the connection before its hello.");
        phone._reading = Task.Run(phone.ReadLoopAsync);
        var signature = keys.Sign(Handshake.AuthMessage(Convert.FromBase64String(hello.Challenge!), PublicKey.Parse(hello.Relay!.Key).Bytes, keys.Identity.Bytes));
        var answer = await phone.RequestAsync(new WireFrame { Type = FrameTypes.Auth, Key = keys.Identity.ToString(), Signature = Convert.ToBase64String(signature) });
        return answer?.Type == FrameTypes.Ok ? phone : throw new InvalidOperationException($"Authentication refused: {answer?.Code} {answer?.Message}");
    }

    public static ChatKeys NewKeys()
    {
        var seed = new byte[32];
        Random.Shared.NextBytes(seed);
        return ChatKeys.FromEd25519Seed(seed);
    }

    /// <summary>Seals a message to <paramref name="recipient"/> and sends it: its id when the relay answered ok, else null.</summary>
    public async Task<MessageId?> SendAsync(PublicKey recipient, string text)
    {
        var envelope = Envelope.Seal(Keys, recipient, System.Text.Encoding.UTF8.GetBytes(text), DateTimeOffset.UtcNow);
        var answer = await RequestAsync(new WireFrame { Type = FrameTypes.Send, Envelope = envelope.Encoded.ToArray() });
        return answer?.Type == FrameTypes.Ok ? envelope.Id : null;
    }

    /// <summary>Acks (burns) <paramref name="id"/>: true when the relay answered ok.</summary>
    public async Task<bool> AckAsync(MessageId id) =>
        (await RequestAsync(new WireFrame { Type = FrameTypes.Ack, MessageIds = [id.ToString()] }))?.Type == FrameTypes.Ok;

    /// <summary>Every message id waiting in this phone's inbox, page by page.</summary>
    public async Task<List<MessageId>> FetchAllAsync()
    {
        var ids = new List<MessageId>();
        long after = 0;
        while (true)
        {
            var page = await RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = after, Limit = 100 })
                       ?? throw new InvalidOperationException("The relay closed the connection during a fetch.");
            ids.AddRange(page.Envelopes!.Select(data => Envelope.Decode(data).Id));
            if (page.HasMore != true)
            {
                return ids;
            }

            after = page.Next!.Value;
        }
    }

    /// <summary>Sends <paramref name="frame"/> and returns its answer; null when the connection closed first.</summary>
    private async Task<WireFrame?> RequestAsync(WireFrame frame)
    {
        frame.Id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<WireFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[frame.Id] = answer;
        await _sending.WaitAsync();
        try
        {
            if (Closed.IsCompleted)
            {
                return null;
            }

            await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame, WireJson.Default.WireFrame), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            _sending.Release();
        }

        var first = await Task.WhenAny(answer.Task, Closed).WaitAsync(Patience);
        return first == answer.Task ? answer.Task.Result : null;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await ReceiveAsync() is { } frame)
            {
                if (frame.Type == FrameTypes.Deliver)
                {
                    Delivered.Enqueue(Envelope.Decode(frame.Envelope!).Id);
                }
                else if (frame.Id is { } id && _pending.TryRemove(id, out var answer))
                {
                    answer.TrySetResult(frame);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }

        var status = _socket.CloseStatus;
        if (_socket.State == WebSocketState.CloseReceived)
        {
            // Answer the relay's close, as a phone's WebSocket stack does, so the relay need not wait for it.
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }

        _closed.TrySetResult(status);
    }

    private async Task<WireFrame?> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
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

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Abort();
        await _reading;
        _socket.Dispose();
        _sending.Dispose();
    }
}
