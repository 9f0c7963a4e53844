using System.Diagnostics;
using NexusOrleans.Client;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>One simulated phone: its own identity and its own <see cref="ChatClient"/> with one relay connection.</summary>
internal sealed class Phone(int index, ChatKeys keys, ChatClient client)
{
    /// <summary>Its place in the fleet; messages carry it so the receiving side knows whose turn to give back.</summary>
    public int Index { get; } = index;

    public ChatKeys Keys { get; } = keys;

    public ChatClient Client { get; } = client;

    /// <summary>Who it sends to: the other phone of its pair.</summary>
    public PublicKey Peer { get; set; }

    /// <summary>Released when the phone's message in flight has been decrypted and acked by its recipient (closed loop).</summary>
    public SemaphoreSlim Turn { get; } = new(0);
}

/// <summary>What a workload does when a phone has received (verified, decrypted) a message, and when it has acked it.</summary>
internal interface IDeliverySink
{
    void Delivered(Phone recipient, ReceivedMessage message, long timestamp);

    void Acked(Phone recipient, ReceivedMessage message);
}

/// <summary>
/// Phones in pairs (phone <c>i</c> talks to phone <c>i xor 1</c>), each a product <see cref="ChatClient"/> with its own
/// key, authenticated on its own WebSocket to one relay. Every phone reads its messages as the application would and
/// acks each one as soon as it has it (burn after reading); the current <see cref="Sink"/> hears of both.
/// </summary>
internal sealed class PhoneFleet : IAsyncDisposable
{
    private const int ConnectParallelism = 32;
    private readonly Task[] _readers;
    private long _delivered;
    private long _acked;
    private long _ackFailures;

    private PhoneFleet(Phone[] phones)
    {
        Phones = phones;
        foreach (var phone in phones)
        {
            phone.Peer = phones[phone.Index ^ 1].Keys.Identity;
        }

        _readers = phones.Select(ReadAsync).ToArray();
    }

    public Phone[] Phones { get; }

    /// <summary>The workload to tell of deliveries and acks; null between workloads.</summary>
    public IDeliverySink? Sink { get; set; }

    /// <summary>Messages received, verified and decrypted by all phones so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Acks answered ok so far.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Acks that failed (no relay took them).</summary>
    public long AckFailures => Interlocked.Read(ref _ackFailures);

    /// <summary>Messages the phones' clients dropped because they did not verify or decrypt (must stay 0).</summary>
    public int InvalidDeliveries => Phones.Sum(phone => phone.Client.InvalidDeliveries);

    /// <summary>Connects <paramref name="count"/> phones (an even number) to <paramref name="relay"/>, each with a fresh identity.</summary>
    public static Task<PhoneFleet> ConnectAsync(Uri relay, int count, Action<int>? connected = null) =>
        ConnectAsync([relay], count, connected);

    /// <summary>
    /// Connects <paramref name="count"/> phones (an even number), phone <c>i</c> to <c>relays[i mod n]</c>, so with more than
    /// one relay the two phones of a pair are on different relays.
    /// </summary>
    public static async Task<PhoneFleet> ConnectAsync(IReadOnlyList<Uri> relays, int count, Action<int>? connected = null)
    {
        if (count < 2 || count % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Phones come in pairs: give an even number, at least 2.");
        }

        var options = new ChatClientOptions
        {
            TargetConnections = 1,
            DiscoverRelays = false,
            ConnectTimeout = TimeSpan.FromSeconds(60),
            RequestTimeout = TimeSpan.FromSeconds(60),
        };
        var phones = new Phone[count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (i, cancellationToken) =>
        {
            var seed = new byte[32];
            Sodium.RandomBytes(seed);
            var keys = ChatKeys.FromEd25519Seed(seed);
            phones[i] = new Phone(i, keys, await ChatClient.ConnectAsync(keys, [relays[i % relays.Count]], options, cancellationToken));
            connected?.Invoke(Interlocked.Increment(ref done));
        });
        return new PhoneFleet(phones);
    }

    /// <summary>Closes every phone's connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(Phones, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (phone, _) =>
        {
            await phone.Client.DisposeAsync();
            phone.Keys.Dispose();
        });
        await Task.WhenAll(_readers);
    }

    private async Task ReadAsync(Phone phone)
    {
        await Task.Yield();
        await foreach (var message in phone.Client.Messages.ReadAllAsync())
        {
            var timestamp = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _delivered);
            Sink?.Delivered(phone, message, timestamp);
            try
            {
                await phone.Client.AckAsync(message.Id);
                Interlocked.Increment(ref _acked);
            }
            catch (Exception exception) when (exception is SendFailedException or NotConnectedException)
            {
                Interlocked.Increment(ref _ackFailures);
            }

            Sink?.Acked(phone, message);
        }
    }
}
