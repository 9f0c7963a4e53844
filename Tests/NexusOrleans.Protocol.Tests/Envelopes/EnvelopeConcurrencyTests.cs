using System.Collections.Concurrent;
using System.Text;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>Seal and Open from many threads on shared ChatKeys, with the shared-key cache churning underneath.</summary>
public sealed class EnvelopeConcurrencyTests
{
    private const int Threads = 8;
    private const int MessagesPerThread = 300;
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SealAndOpen_FromManyThreadsOnSharedKeys_EveryMessageOpensToItsOwnPlaintext()
    {
        using var alice = TestKeys.Random();
        using var bob = TestKeys.Random();
        // More distinct peers than the cache holds, so evictions race with hits on bob.
        var strangers = Enumerable.Range(0, ChatKeys.SharedKeyCacheCapacity + 200).Select(_ => TestKeys.RandomIdentity()).ToArray();
        var failures = new ConcurrentQueue<string>();
        using var start = new ManualResetEventSlim();

        var workers = Enumerable.Range(0, Threads).Select(thread => Task.Factory.StartNew(
            () =>
            {
                start.Wait(TestContext.Current.CancellationToken);
                for (var i = 0; i < MessagesPerThread; i++)
                {
                    var text = $"thread {thread} message {i}";
                    var toBob = Envelope.Seal(alice, bob.Identity, Encoding.UTF8.GetBytes(text), Now);
                    var opened = Encoding.UTF8.GetString(Envelope.Decode(toBob.Encoded).Open(bob));
                    if (opened != text)
                    {
                        failures.Enqueue($"sent \"{text}\", opened \"{opened}\"");
                    }

                    var reply = Envelope.Seal(bob, alice.Identity, Encoding.UTF8.GetBytes(text), Now);
                    if (Encoding.UTF8.GetString(reply.Open(alice)) != text)
                    {
                        failures.Enqueue($"reply to \"{text}\" did not open to it");
                    }

                    Envelope.Seal(alice, strangers[(thread * MessagesPerThread + i) % strangers.Length], [1], Now);
                }
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        start.Set();
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        Assert.Equal(ChatKeys.SharedKeyCacheCapacity, alice.CachedSharedKeyCount);
    }
}
