using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Silo.Tests.Cluster;
using NexusOrleans.Testing;

namespace NexusOrleans.Silo.Tests.Shutdown;

/// <summary>
/// SIGTERM, as Kubernetes sends it, to a silo on the embedded default (SQLite) while phones send, read and ack: the
/// phones are told to reconnect elsewhere, readiness drops at once, the process exits 0 within its grace period, and
/// after a restart on the same storage every message the relay acknowledged and nobody read is still there to deliver,
/// while every message acked before the stop stays burned.
/// </summary>
[Trait("Category", "E2E")]
public sealed class GracefulShutdownProcessTests(ITestOutputHelper output)
{
    private const int Phones = 6;

    // Grains:ShutdownTimeout of the silo under test; the host waits this plus 5 s (Silo/Hosting/SiloHostExtensions.cs),
    // and so does the chart's terminationGracePeriodSeconds (helm/nexus-orleans).
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GracePeriod = ShutdownTimeout + TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SendPace = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ProbePace = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Sigterm_UnderLoad_PhonesReconnectElsewhereExitIsCleanAndNoAcknowledgedMessageIsLost()
    {
        await using var silo = ClusterProcess.StartSilo("The silo",
            [$"--Grains:ShutdownTimeout={ShutdownTimeout:c}", "--Canaries:Enabled=false", "--Gateway:RegisterRelay=false"]);
        await silo.WaitUntilReadyAsync();
        var keys = Enumerable.Range(0, Phones).Select(_ => WirePhone.NewKeys()).ToArray();
        var phones = new List<WirePhone>();
        foreach (var key in keys)
        {
            phones.Add(await WirePhone.ConnectAsync(silo.WebSocketAddress, key));
        }

        var accepted = new ConcurrentDictionary<MessageId, int>();
        var acked = new ConcurrentDictionary<MessageId, byte>();
        var ackSent = new ConcurrentDictionary<MessageId, byte>();
        using var stopLoad = new CancellationTokenSource();
        var loops = phones.Select((phone, index) => Task.Run(() => SendAndReadAsync(phone, index), TestContext.Current.CancellationToken)).ToArray();
        await Poll.UntilAsync(() => accepted.Count >= 60 && acked.Count >= 10, "the phones have sent 60 messages and acked 10");

        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        var readiness = new ConcurrentQueue<(long SentAt, HttpStatusCode? Status)>();
        var probing = Task.Run(() => ProbeReadinessAsync(probe, readiness, silo), TestContext.Current.CancellationToken);
        await Poll.UntilAsync(() => readiness.Any(answer => answer.Status == HttpStatusCode.OK), "the silo reports ready under load");

        var stopwatch = Stopwatch.StartNew();
        await silo.TerminateAsync();
        var closes = await Task.WhenAll(phones.Select(phone => phone.Closed.WaitAsync(GracePeriod, TestContext.Current.CancellationToken)));
        var allClosedAt = Stopwatch.GetTimestamp();
        var exitCode = await silo.WaitForExitAsync();
        var stoppedIn = stopwatch.Elapsed;
        await stopLoad.CancelAsync();
        await Task.WhenAll(loops);
        await probing;
        var afterClose = readiness.Where(answer => answer.SentAt > allClosedAt).ToList();
        output.WriteLine($"{accepted.Count} messages acknowledged by the relay, {acked.Count} acked by their recipients; SIGTERM to exit {stoppedIn.TotalMilliseconds:F0} ms; " +
                         $"readiness after the phones were closed: {afterClose.Count(answer => answer.Status == HttpStatusCode.ServiceUnavailable)} × 503, " +
                         $"{afterClose.Count(answer => answer.Status is null)} × no answer, {afterClose.Count(answer => answer.Status == HttpStatusCode.OK)} × 200");

        Assert.All(closes, close => Assert.Equal((WebSocketCloseStatus)CloseCodes.ReconnectElsewhere, close));
        Assert.Equal(0, exitCode);
        Assert.True(stoppedIn < GracePeriod, $"the silo took {stoppedIn} to stop; its grace period is {GracePeriod}");
        Assert.Contains(silo.Log, line => line.Contains("Silo stopped", StringComparison.Ordinal));
        // A readiness request sent after the phones were told to go reaches a process that is stopping: never 200 again.
        Assert.DoesNotContain(afterClose, answer => answer.Status == HttpStatusCode.OK);

        await silo.RestartAsync();
        await silo.WaitUntilReadyAsync();
        var waiting = new HashSet<MessageId>();
        foreach (var key in keys)
        {
            await using var reopened = await WirePhone.ConnectAsync(silo.WebSocketAddress, key);
            waiting.UnionWith(await reopened.FetchAllAsync());
        }

        // An ack cut off by the stop may or may not have burned its message; every message nobody tried to ack must wait.
        var unread = accepted.Keys.Where(id => !ackSent.ContainsKey(id)).ToList();
        output.WriteLine($"After the restart: {waiting.Count} messages waiting, {unread.Count} acknowledged and never acked before the stop");
        Assert.All(unread, id => Assert.Contains(id, waiting));
        Assert.All(acked.Keys, id => Assert.DoesNotContain(id, waiting));
        foreach (var phone in phones)
        {
            await phone.DisposeAsync();
        }

        foreach (var key in keys)
        {
            key.Dispose();
        }

        // Phone i sends to phone i + 1 and acks every other message pushed to it, so both read and unread messages
        // are in flight when the stop comes.
        async Task SendAndReadAsync(WirePhone phone, int index)
        {
            using var pace = new PeriodicTimer(SendPace);
            var recipient = keys[(index + 1) % Phones].Identity;
            var read = 0;
            try
            {
                while (await pace.WaitForNextTickAsync(stopLoad.Token) && !phone.Closed.IsCompleted)
                {
                    if (await phone.SendAsync(recipient, $"from {index}") is { } id)
                    {
                        accepted[id] = (index + 1) % Phones;
                    }

                    while (phone.Delivered.TryDequeue(out var delivered))
                    {
                        if (read++ % 2 != 0)
                        {
                            continue;
                        }

                        ackSent[delivered] = 0;
                        if (await phone.AckAsync(delivered))
                        {
                            acked[delivered] = 0;
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    // Polls /health/ready over one keep-alive connection until the process is gone, noting when each request was sent.
    private static async Task ProbeReadinessAsync(HttpClient probe, ConcurrentQueue<(long SentAt, HttpStatusCode? Status)> answers, ClusterProcess silo)
    {
        using var pace = new PeriodicTimer(ProbePace);
        while (!silo.HasExited && await pace.WaitForNextTickAsync())
        {
            var sentAt = Stopwatch.GetTimestamp();
            try
            {
                using var response = await probe.GetAsync("/health/ready");
                answers.Enqueue((sentAt, response.StatusCode));
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                answers.Enqueue((sentAt, null));
            }
        }
    }
}
