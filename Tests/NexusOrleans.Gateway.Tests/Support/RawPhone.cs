using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests.Support;

/// <summary>A phone speaking the wire protocol by hand, so tests can send exactly the frames they mean, good or bad.</summary>
public sealed class RawPhone : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private readonly bool _ownsKeys;

    private RawPhone(ChatKeys? keys)
    {
        _ownsKeys = keys is null;
        Keys = keys ?? NewKeys();
    }

    public ChatKeys Keys { get; }

    public WireFrame Hello { get; private set; } = new();

    /// <summary>Why the relay closed the connection, once it has.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>
    /// Connects (as <paramref name="keys"/>, which stay the caller's, or a fresh identity) and, unless told not to,
    /// authenticates, binding <paramref name="wallet"/> when given.
    /// </summary>
    public static async Task<RawPhone> ConnectAsync(Uri endpoint, ChatKeys? keys = null, bool authenticate = true, WalletBinding? wallet = null)
    {
        var phone = new RawPhone(keys);
        await phone._socket.ConnectAsync(endpoint, CancellationToken.None);
        phone.Hello = await phone.ReceiveAsync() ?? throw new InvalidOperationException("closed before hello");
        if (authenticate)
        {
            var answer = await phone.RequestAsync(phone.AuthFrame(wallet));
            Assert.Equal(FrameTypes.Ok, answer.Type);
        }

        return phone;
    }

    /// <summary>A correctly signed auth frame for this connection, with <paramref name="wallet"/>'s binding when given.</summary>
    public WireFrame AuthFrame(WalletBinding? wallet = null) => new()
    {
        Type = FrameTypes.Auth,
        Key = Keys.Identity.ToString(),
        Signature = Convert.ToBase64String(SignChallenge()),
        Wallet = wallet?.Wallet,
        WalletSignature = wallet is null ? null : Convert.ToBase64String(wallet.Signature),
    };

    public static ChatKeys NewKeys()
    {
        var seed = new byte[32];
        Random.Shared.NextBytes(seed);
        return ChatKeys.FromEd25519Seed(seed);
    }

    public byte[] SignChallenge() =>
        Keys.Sign(Handshake.AuthMessage(Convert.FromBase64String(Hello.Challenge!), PublicKey.Parse(Hello.Relay!.Key).Bytes, Keys.Identity.Bytes));

    /// <summary>Sends <paramref name="frame"/> with a fresh id and returns the answer with that id (deliveries in between are kept).</summary>
    public async Task<WireFrame> RequestAsync(WireFrame frame)
    {
        frame.Id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendTextAsync(JsonSerializer.Serialize(frame, WireJson.Default.WireFrame));
        return await NextAnswerAsync(frame.Id);
    }

    public List<WireFrame> Deliveries { get; } = [];

    public async Task SendTextAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type) =>
        await _socket.SendAsync(bytes, type, true, CancellationToken.None);

    /// <summary>The next frame that is not a delivery, which must carry <paramref name="id"/> (null for answers to unreadable frames).</summary>
    public async Task<WireFrame> NextAnswerAsync(string? id)
    {
        while (true)
        {
            var frame = await ReceiveAsync() ?? throw new InvalidOperationException($"The relay closed the connection ({CloseStatus}) instead of answering.");
            if (frame.Type == FrameTypes.Deliver)
            {
                Deliveries.Add(frame);
                continue;
            }

            Assert.Equal(id, frame.Id);
            return frame;
        }
    }

    /// <summary>Waits for the next pushed delivery.</summary>
    public async Task<WireFrame> NextDeliveryAsync()
    {
        if (Deliveries.Count > 0)
        {
            var first = Deliveries[0];
            Deliveries.RemoveAt(0);
            return first;
        }

        var frame = await ReceiveAsync() ?? throw new InvalidOperationException("The relay closed the connection instead of delivering.");
        Assert.Equal(FrameTypes.Deliver, frame.Type);
        return frame;
    }

    /// <summary>The next frame, or null when the relay closed the connection.</summary>
    public async Task<WireFrame?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
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
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        if (_ownsKeys)
        {
            Keys.Dispose();
        }
    }
}
