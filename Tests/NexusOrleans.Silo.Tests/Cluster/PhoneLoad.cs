using System.Collections.Concurrent;
using System.Diagnostics;
using NexusOrleans.Client;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Silo.Tests.Cluster;

/// <summary>
/// Phones (the product's <see cref="ChatClient"/>, each connected to two gateways) sending steadily to each other,
/// reading what arrives (after the client's own de-duplication) and acking it; everything a user could notice is
/// recorded: which sends were accepted, what each recipient was shown and how often, which acks succeeded, and every
/// error a send got and how long the send took.
/// </summary>
public sealed class PhoneLoad : IAsyncDisposable
{
    private static readonly TimeSpan SendPace = TimeSpan.FromMilliseconds(100);
    private static readonly ChatClientOptions Options = new()
    {
        TargetConnections = 2,
        DiscoverRelays = false,
        RequestTimeout = TimeSpan.FromSeconds(8),
        ReconnectDelay = TimeSpan.FromMilliseconds(200),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
    };

    private readonly List<Phone> _phones = [];
    private readonly CancellationTokenSource _stopSending = new();
    private readonly CancellationTokenSource _stopReading = new();
    private readonly List<Task> _loops = [];

    private PhoneLoad()
    {
    }

    /// <summary>Accepted sends: message id → recipient index.</summary>
    public ConcurrentDictionary<MessageId, int> Accepted { get; } = new();

    /// <summary>Messages shown to a recipient (after de-duplication), with how many times and when first.</summary>
    public ConcurrentDictionary<MessageId, int> Shown { get; } = new();

    public ConcurrentQueue<(DateTimeOffset At, int Recipient, MessageId Id)> Deliveries { get; } = new();

    /// <summary>Messages whose ack some relay confirmed.</summary>
    public ConcurrentDictionary<MessageId, byte> Acked { get; } = new();

    /// <summary>Sends that no relay accepted, with the error the phone got.</summary>
    public ConcurrentQueue<Exception> SendErrors { get; } = new();

    /// <summary>Messages shown to a phone that is not their recipient, or shown with another sender.</summary>
    public ConcurrentQueue<string> Misdelivered { get; } = new();

    public TimeSpan LongestSend { get; private set; }

    public int Count => _phones.Count;

    /// <summary>Connects <paramref name="count"/> phones, phone i to gateways i and i + 1 (mod the number of gateways).</summary>
    public static async Task<PhoneLoad> ConnectAsync(int count, IReadOnlyList<Uri> gateways)
    {
        var load = new PhoneLoad();
        for (var i = 0; i < count; i++)
        {
            var mnemonic = Bip39.Generate();
            var keys = ChatKeys.FromMnemonic(mnemonic);
            var client = await ChatClient.ConnectAsync(keys, [gateways[i % gateways.Count], gateways[(i + 1) % gateways.Count]], Options);
            load._phones.Add(new Phone(i, mnemonic, keys, client));
        }

        return load;
    }

    public PublicKey Identity(int phone) => _phones[phone].Keys.Identity;

    /// <summary>Starts every phone sending (one message per <see cref="SendPace"/>) and reading.</summary>
    public void Start()
    {
        foreach (var phone in _phones)
        {
            _loops.Add(Task.Run(() => SendLoopAsync(phone)));
            _loops.Add(Task.Run(() => ReadLoopAsync(phone)));
        }
    }

    /// <summary>Sends one message from <paramref name="from"/> to <paramref name="to"/>; null when no relay took it.</summary>
    public async Task<MessageId?> SendOnceAsync(int from, int to)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var result = await _phones[from].Client.SendTextAsync(_phones[to].Keys.Identity, $"from {from} to {to}");
            Accepted[result.Id] = to;
            return result.Id;
        }
        catch (Exception exception) when (exception is NotConnectedException or SendFailedException)
        {
            SendErrors.Enqueue(exception);
            return null;
        }
        finally
        {
            lock (_phones)
            {
                LongestSend = stopwatch.Elapsed > LongestSend ? stopwatch.Elapsed : LongestSend;
            }
        }
    }

    /// <summary>Stops sending; reading and acking go on until <see cref="DisposeAsync"/>.</summary>
    public async Task StopSendingAsync()
    {
        await _stopSending.CancelAsync();
        await Task.WhenAll(_loops.Where((_, index) => index % 2 == 0));
    }

    /// <summary>Accepted messages not shown to their recipient yet.</summary>
    public IReadOnlyList<MessageId> Undelivered() => [.. Accepted.Keys.Where(id => !Shown.ContainsKey(id))];

    /// <summary>
    /// What each recipient's inbox still holds, as a phone reopening the app sees it: a fresh client per mnemonic,
    /// whose connection fetches the backlog from each relay.
    /// </summary>
    public async Task<List<MessageId>> FetchLeftoversAsync(IReadOnlyList<Uri> gateways)
    {
        var leftovers = new List<MessageId>();
        foreach (var phone in _phones)
        {
            using var keys = ChatKeys.FromMnemonic(phone.Mnemonic);
            await using var reopened = await ChatClient.ConnectAsync(keys, gateways, Options);
            while (reopened.Messages.TryRead(out var message))
            {
                leftovers.Add(message.Id);
            }
        }

        return leftovers;
    }

    /// <summary>True for a send error a phone may retry: a relay unavailable or unreachable, never a refusal.</summary>
    public static bool IsRetryable(Exception error) => error switch
    {
        NotConnectedException => true,
        SendFailedException failed => failed.Failures.All(IsRetryable),
        RelayException relay => relay.Code == ErrorCodes.Unavailable,
        IOException => true,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        await _stopSending.CancelAsync();
        await _stopReading.CancelAsync();
        await Task.WhenAll(_loops);
        foreach (var phone in _phones)
        {
            await phone.Client.DisposeAsync();
            phone.Keys.Dispose();
        }

        _stopSending.Dispose();
        _stopReading.Dispose();
    }

    private async Task SendLoopAsync(Phone phone)
    {
        using var pace = new PeriodicTimer(SendPace);
        var turn = 0;
        try
        {
            while (await pace.WaitForNextTickAsync(_stopSending.Token))
            {
                var to = (phone.Index + 1 + (turn++ % (_phones.Count - 1))) % _phones.Count;
                await SendOnceAsync(phone.Index, to);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadLoopAsync(Phone phone)
    {
        try
        {
            await foreach (var message in phone.Client.Messages.ReadAllAsync(_stopReading.Token))
            {
                var count = Shown.AddOrUpdate(message.Id, 1, (_, seen) => seen + 1);
                if (count == 1)
                {
                    Deliveries.Enqueue((DateTimeOffset.UtcNow, phone.Index, message.Id));
                }

                if (Accepted.TryGetValue(message.Id, out var recipient) && recipient != phone.Index)
                {
                    Misdelivered.Enqueue($"{message.Id} for phone {recipient} shown to phone {phone.Index}");
                }

                await AckAsync(phone, message.Id);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // An ack that no relay confirmed leaves the message unread, which the leftover check allows; a few tries cover a failover.
    private async Task AckAsync(Phone phone, MessageId id)
    {
        for (var attempt = 0; attempt < 5 && !_stopReading.IsCancellationRequested; attempt++)
        {
            try
            {
                await phone.Client.AckAsync(id, _stopReading.Token);
                Acked[id] = 0;
                return;
            }
            catch (Exception exception) when (exception is NotConnectedException or SendFailedException)
            {
            }
        }
    }

    private sealed record Phone(int Index, string Mnemonic, ChatKeys Keys, ChatClient Client);
}
