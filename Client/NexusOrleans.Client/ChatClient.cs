using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Client;

/// <summary>
/// A phone's view of iChat: one identity, connections to several relays, every message sent through all of them,
/// every delivery verified, decrypted and handed to the application once.
/// </summary>
/// <remarks>
/// <para>Redundancy is the point: a message goes through every connected relay, so it arrives if any one of them
/// works; the recipient's inbox stores one copy (relays answer <c>duplicate</c> for the others, which counts as
/// accepted). Deliveries come back through every relay the recipient is connected to; the client passes each message
/// id to the application once, for as long as the message could still be delivered (its expiry).</para>
/// <para>There is no outbox: with no live connection <see cref="SendAsync(PublicKey, ReadOnlyMemory{byte}, CancellationToken)"/>
/// throws <see cref="NotConnectedException"/> at once, as the product requires. Dropped connections are reopened
/// in the background, and each (re)connection fetches the inbox, so nothing sent while the phone was away is missed.</para>
/// </remarks>
public sealed class ChatClient : IAsyncDisposable
{
    private readonly ChatKeys _keys;
    private readonly ChatClientOptions _options;
    private readonly ConcurrentDictionary<Uri, RelayConnection> _live = new();
    private readonly ConcurrentDictionary<MessageId, DateTimeOffset> _seen = new();
    private readonly Channel<ReceivedMessage> _received = Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Uri> _relays;
    private readonly List<Task> _reconnects = [];
    private static readonly TimeSpan SeenSweepInterval = TimeSpan.FromMinutes(1);
    private int _invalidDeliveries;
    private DateTimeOffset _nextSweep;

    private ChatClient(ChatKeys keys, IEnumerable<Uri> relays, ChatClientOptions options)
    {
        _keys = keys;
        _options = options;
        _relays = relays.Distinct().ToList();
    }

    /// <summary>This phone's identity.</summary>
    public PublicKey Identity => _keys.Identity;

    /// <summary>The relays currently connected.</summary>
    public IReadOnlyList<Uri> ConnectedRelays => _live.Where(pair => pair.Value.IsOpen).Select(pair => pair.Key).ToArray();

    /// <summary>Messages received and not yet read by the application, each once.</summary>
    public ChannelReader<ReceivedMessage> Messages => _received.Reader;

    /// <summary>Deliveries dropped because they did not verify or decrypt (a faulty or hostile relay).</summary>
    public int InvalidDeliveries => Volatile.Read(ref _invalidDeliveries);

    /// <summary>
    /// Connects to up to <see cref="ChatClientOptions.TargetConnections"/> of <paramref name="relays"/> (asking them for
    /// more when fewer were given), and fetches what is waiting. Throws <see cref="NotConnectedException"/> when none answers.
    /// </summary>
    public static async Task<ChatClient> ConnectAsync(ChatKeys keys, IEnumerable<Uri> relays, ChatClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(relays);
        options ??= new ChatClientOptions();
        options.Validate();
        if (options.WalletBinding is { } binding && binding.Identity != keys.Identity)
        {
            throw new ArgumentException(
                $"The wallet binding is for identity {binding.Identity}, not this client's {keys.Identity}; create it for this identity.",
                nameof(options));
        }

        var client = new ChatClient(keys, relays, options);
        if (client._relays.Count == 0)
        {
            throw new ArgumentException("Give at least one relay URL (ws://host:port/v1/ws).", nameof(relays));
        }

        var failures = await client.ConnectSomeAsync(client._relays.Take(options.TargetConnections), cancellationToken);
        if (options.DiscoverRelays && client._relays.Count < options.TargetConnections && client._live.Values.FirstOrDefault() is { } first)
        {
            failures.AddRange(await client.DiscoverAsync(first, cancellationToken));
        }

        if (client._live.IsEmpty)
        {
            await client.DisposeAsync();
            throw new NotConnectedException("No relay could be reached: " + string.Join("; ", failures.Select(failure => failure.Message)));
        }

        return client;
    }

    /// <summary>Sends UTF-8 <paramref name="text"/> to <paramref name="recipient"/> through every connected relay.</summary>
    public Task<SendResult> SendTextAsync(PublicKey recipient, string text, CancellationToken cancellationToken = default) =>
        SendAsync(recipient, Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for <paramref name="recipient"/>, signs it, and sends it through every
    /// connected relay. Succeeds when at least one relay stored it (or already had it); throws
    /// <see cref="NotConnectedException"/> when no relay is connected and <see cref="SendFailedException"/> when all refused.
    /// </summary>
    public async Task<SendResult> SendAsync(PublicKey recipient, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        var connections = OpenConnections();
        if (connections.Length == 0)
        {
            throw new NotConnectedException("No relay is connected, so the message was not sent (iChat keeps no outbox on the phone).");
        }

        var envelope = Envelope.Seal(_keys, recipient, plaintext.Span, _options.TimeProvider.GetUtcNow(), _options.MessageLifetime);
        var encoded = envelope.Encoded.ToArray();
        var attempts = connections.Select(connection => SendOneAsync(connection, encoded, cancellationToken)).ToArray();
        var outcomes = await Task.WhenAll(attempts);
        var accepted = outcomes.Where(outcome => outcome.Failure is null).Select(outcome => outcome.Relay).ToArray();
        var failures = outcomes.Where(outcome => outcome.Failure is not null).Select(outcome => outcome.Failure!).ToArray();
        if (accepted.Length == 0)
        {
            throw new SendFailedException(failures);
        }

        return new SendResult(envelope.Id, accepted, failures);
    }

    /// <summary>Burns <paramref name="ids"/>: the relays delete them at once. Throws <see cref="NotConnectedException"/> when no relay is connected.</summary>
    public async Task AckAsync(IEnumerable<MessageId> ids, CancellationToken cancellationToken = default)
    {
        var list = ids.Select(id => id.ToString()).ToArray();
        if (list.Length == 0)
        {
            return;
        }

        var connections = OpenConnections();
        if (connections.Length == 0)
        {
            throw new NotConnectedException("No relay is connected, so nothing was acked; the messages stay unread until the next connection.");
        }

        // Every relay gets the ack: an inbox reached through any of them forgets the message, and an ack is idempotent.
        var results = await Task.WhenAll(connections.Select(async connection =>
        {
            try
            {
                await connection.RequestAsync(new WireFrame { Type = FrameTypes.Ack, MessageIds = list }, cancellationToken);
                return null;
            }
            catch (Exception exception) when (exception is IOException or RelayException)
            {
                return exception;
            }
        }));
        if (results.All(result => result is not null))
        {
            throw new SendFailedException(results!);
        }
    }

    /// <summary>Burns one message.</summary>
    public Task AckAsync(MessageId id, CancellationToken cancellationToken = default) => AckAsync([id], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (var connection in _live.Values)
        {
            await connection.DisposeAsync();
        }

        _live.Clear();
        Task[] reconnects;
        lock (_reconnects)
        {
            reconnects = [.. _reconnects];
        }

        await Task.WhenAll(reconnects);
        _received.Writer.TryComplete();
        _stop.Dispose();
    }

    private static async Task<(Uri Relay, Exception? Failure)> SendOneAsync(RelayConnection connection, byte[] envelope, CancellationToken cancellationToken)
    {
        try
        {
            await connection.RequestAsync(new WireFrame { Type = FrameTypes.Send, Envelope = envelope }, cancellationToken);
            return (connection.Endpoint, null);
        }
        catch (RelayException exception) when (exception.Code == ErrorCodes.Duplicate)
        {
            return (connection.Endpoint, null);
        }
        catch (Exception exception) when (exception is IOException or RelayException)
        {
            return (connection.Endpoint, exception);
        }
    }

    // Enumerates the dictionary instead of reading Values, which locks every bucket and copies: this runs per message.
    private RelayConnection[] OpenConnections()
    {
        var open = new List<RelayConnection>(_live.Count);
        foreach (var (_, connection) in _live)
        {
            if (connection.IsOpen)
            {
                open.Add(connection);
            }
        }

        return [.. open];
    }

    private async Task<List<Exception>> ConnectSomeAsync(IEnumerable<Uri> endpoints, CancellationToken cancellationToken)
    {
        var attempts = endpoints.Select(async endpoint =>
        {
            try
            {
                await ConnectOneAsync(endpoint, cancellationToken);
                return null;
            }
            catch (Exception exception) when (exception is IOException or RelayException or System.Net.WebSockets.WebSocketException or OperationCanceledException or FormatException)
            {
                return new IOException($"{endpoint}: {exception.Message}", exception);
            }
        });
        return (await Task.WhenAll(attempts)).OfType<Exception>().ToList();
    }

    private async Task ConnectOneAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var connection = await RelayConnection.ConnectAsync(endpoint, _keys, _options, OnDeliver, OnClosed, cancellationToken);
        _live[endpoint] = connection;
        await FetchBacklogAsync(connection, cancellationToken);
    }

    private async Task<List<Exception>> DiscoverAsync(RelayConnection first, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await first.RequestAsync(new WireFrame { Type = FrameTypes.Relays }, cancellationToken);
            var more = (answer.Relays ?? [])
                .Select(relay => Uri.TryCreate(relay.Endpoint, UriKind.Absolute, out var uri) ? uri : null)
                .OfType<Uri>()
                .Where(uri => uri.Scheme is "ws" or "wss" && !_relays.Contains(uri) && !_live.ContainsKey(uri))
                .Take(_options.TargetConnections - _live.Count)
                .ToArray();
            _relays.AddRange(more);
            return await ConnectSomeAsync(more, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or RelayException)
        {
            return [exception];
        }
    }

    // Everything still unread: what arrived while the phone was away, and anything pushed before this connection subscribed.
    private async Task FetchBacklogAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            var page = await connection.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = after, Limit = 100 }, cancellationToken);
            foreach (var envelope in page.Envelopes ?? [])
            {
                OnDeliver(connection, envelope);
            }

            if (page.HasMore != true || page.Next is not { } next)
            {
                return;
            }

            after = next;
        }
    }

    private void OnDeliver(RelayConnection connection, byte[] encoded)
    {
        Envelope envelope;
        byte[] plaintext;
        try
        {
            envelope = Envelope.Decode(encoded);
            plaintext = envelope.Open(_keys);
        }
        catch (Exception exception) when (exception is EnvelopeException)
        {
            Interlocked.Increment(ref _invalidDeliveries);
            return;
        }

        var now = _options.TimeProvider.GetUtcNow();
        if (!_seen.TryAdd(envelope.Id, envelope.ExpiresAt))
        {
            return;
        }

        // Ids are forgotten once their message has expired (no relay can deliver it again). The sweep runs at most once
        // a minute, so a phone that receives a lot does not scan its whole history on every delivery.
        if (now >= _nextSweep)
        {
            _nextSweep = now + SeenSweepInterval;
            foreach (var (id, expiresAt) in _seen)
            {
                if (expiresAt <= now)
                {
                    _seen.TryRemove(id, out _);
                }
            }
        }

        _received.Writer.TryWrite(new ReceivedMessage(envelope.Id, envelope.Sender, envelope.CreatedAt, envelope.ExpiresAt, plaintext));
    }

    private void OnClosed(RelayConnection connection)
    {
        if (_stop.IsCancellationRequested || !_live.TryRemove(new KeyValuePair<Uri, RelayConnection>(connection.Endpoint, connection)))
        {
            return;
        }

        lock (_reconnects)
        {
            _reconnects.RemoveAll(task => task.IsCompleted);
            _reconnects.Add(ReconnectAsync(connection.Endpoint));
        }
    }

    private async Task ReconnectAsync(Uri endpoint)
    {
        var delay = _options.ReconnectDelay;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _stop.Token);
                await ConnectOneAsync(endpoint, _stop.Token);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is IOException or RelayException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }
}
