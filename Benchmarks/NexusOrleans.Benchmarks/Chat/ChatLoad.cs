using System.Diagnostics;
using NexusOrleans.Benchmarks.Measurement;
using NexusOrleans.Client;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>What one load run measured: rate, latency, and where the CPU went (load generator against server process).</summary>
internal sealed record LoadResult(
    double OfferedPerSecond,
    double DeliveredPerSecond,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double ClientCores,
    double ServerCores,
    long SendFailures,
    long AckFailures,
    bool KeptUp,
    double MaxIssueLagMs)
{
    /// <summary>CPU time of the load generator (every phone) per delivered message, µs.</summary>
    public double ClientMicrosecondsPerMessage => ClientCores * 1e6 / DeliveredPerSecond;

    /// <summary>CPU time of the server process per delivered message, µs.</summary>
    public double ServerMicrosecondsPerMessage => ServerCores * 1e6 / DeliveredPerSecond;
}

/// <summary>
/// Closed-loop peak: every phone keeps one message in flight. It stamps the time, seals and sends a 1 KiB message to its
/// peer (<see cref="ChatClient.SendAsync(NexusOrleans.Protocol.Identity.PublicKey, ReadOnlyMemory{byte}, CancellationToken)"/>:
/// Seal, then the send request, answered once the inbox stored it), and sends the next only when the peer has decrypted
/// that one and its ack was answered (the inbox deleted it). Rate = messages decrypted per second over the measured
/// window; latency = from the sender's stamp, just before Seal, to the recipient holding the plaintext.
/// </summary>
internal sealed class ClosedLoop(PhoneFleet fleet) : IDeliverySink
{
    private readonly LatencyLog _latencies = new(4_000_000);
    private long _sendFailures;
    private int _recording;
    private int _stop;

    public static async Task<LoadResult> RunAsync(PhoneFleet fleet, int serverPid, TimeSpan warmUp, TimeSpan measured, Progress progress, string label)
    {
        var loop = new ClosedLoop(fleet);
        fleet.Sink = loop;
        var ackFailuresBefore = fleet.AckFailures;
        var senders = fleet.Phones.Select(loop.SendLoopAsync).ToArray();
        progress.Phase($"{label}: closed loop, warm-up", () => fleet.Delivered);
        await Task.Delay(warmUp);

        progress.Phase($"{label}: closed loop, measuring", () => fleet.Delivered);
        var delivered = fleet.Delivered;
        var cpu = CpuSnapshot.Read(serverPid);
        Volatile.Write(ref loop._recording, 1);
        await Task.Delay(measured);
        Volatile.Write(ref loop._recording, 0);
        var (client, server, wall) = CpuSnapshot.Read(serverPid).CoresBusySince(cpu);
        var rate = (fleet.Delivered - delivered) / wall.TotalSeconds;

        progress.Phase($"{label}: closed loop, draining", () => fleet.Delivered);
        Volatile.Write(ref loop._stop, 1);
        var drained = await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(task => task.IsCompletedSuccessfully);
        fleet.Sink = null;
        var percentiles = loop._latencies.Milliseconds(50, 99, 99.9, 100);
        return new LoadResult(
            double.NaN, rate, percentiles[0], percentiles[1], percentiles[2], percentiles[3], client, server,
            Interlocked.Read(ref loop._sendFailures), fleet.AckFailures - ackFailuresBefore, drained, 0);
    }

    public void Delivered(Phone recipient, ReceivedMessage message, long timestamp)
    {
        if (Volatile.Read(ref _recording) == 1)
        {
            _latencies.Add(timestamp - Payload.Timestamp(message.Plaintext));
        }
    }

    public void Acked(Phone recipient, ReceivedMessage message) => fleet.Phones[Payload.Sender(message.Plaintext)].Turn.Release();

    private async Task SendLoopAsync(Phone phone)
    {
        await Task.Yield();
        var plaintext = Payload.Create();
        while (Volatile.Read(ref _stop) == 0)
        {
            Payload.Stamp(plaintext, Stopwatch.GetTimestamp(), phone.Index, -1);
            try
            {
                await phone.Client.SendAsync(phone.Peer, plaintext);
            }
            catch (Exception exception) when (exception is SendFailedException or NotConnectedException)
            {
                Interlocked.Increment(ref _sendFailures);
                await Task.Delay(10);
                continue;
            }

            await phone.Turn.WaitAsync();
        }
    }
}

/// <summary>
/// Open loop at a fixed offered rate, free of coordinated omission: message <c>k</c> is due at <c>start + k / rate</c>,
/// sent by phone <c>k mod N</c> whatever happened to earlier messages, and its latency runs from that due time to the
/// recipient holding the plaintext, so a late generator or a queue anywhere counts. One generator thread issues what is
/// due and naps (<see cref="NanoSleep"/>); the sealing and sending run on the thread pool, as a phone's would.
/// </summary>
internal sealed class OpenLoopRun : IDeliverySink
{
    private static readonly TimeSpan Nap = TimeSpan.FromMicroseconds(200);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);
    private readonly PhoneFleet _fleet;
    private readonly int _warmUpMessages;
    private readonly long[] _latencies;
    private readonly TaskCompletionSource _allMeasuredDelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;
    private long _lastDelivery;
    private long _sendFailures;

    private OpenLoopRun(PhoneFleet fleet, int warmUpMessages, int measuredMessages)
    {
        _fleet = fleet;
        _warmUpMessages = warmUpMessages;
        _latencies = new long[measuredMessages];
        _remaining = measuredMessages;
    }

    public static async Task<LoadResult> RunAsync(PhoneFleet fleet, int serverPid, double rate, TimeSpan warmUp, TimeSpan measured, Progress progress, string label)
    {
        var run = new OpenLoopRun(fleet, (int)(rate * warmUp.TotalSeconds), (int)(rate * measured.TotalSeconds));
        fleet.Sink = run;
        var ackFailuresBefore = fleet.AckFailures;
        var total = run._warmUpMessages + run._latencies.Length;
        var ticksPerMessage = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        long measuredStart = start + (long)(run._warmUpMessages * ticksPerMessage);
        CpuSnapshot? cpuAtStart = null;
        long maxLag = 0;
        progress.Phase($"{label}: open loop at {rate:N0}/s, warm-up", () => fleet.Delivered);
        var generator = new Thread(() =>
        {
            NanoSleep.LowerTimerSlack();
            var next = 0;
            while (next < total)
            {
                var now = Stopwatch.GetTimestamp();
                if (cpuAtStart is null && now >= measuredStart)
                {
                    cpuAtStart = CpuSnapshot.Read(serverPid);
                    progress.Phase($"{label}: open loop at {rate:N0}/s, measuring", () => fleet.Delivered);
                }

                for (var due = start + (long)(next * ticksPerMessage); due <= now && next < total; due = start + (long)(next * ticksPerMessage))
                {
                    maxLag = Math.Max(maxLag, now - due);
                    ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Run.SendAsync(state.Phone, state.Sequence, state.Due),
                        (Run: run, Phone: fleet.Phones[next % fleet.Phones.Length], Sequence: next, Due: due), preferLocal: false);
                    next++;
                }

                NanoSleep.Sleep(Nap);
            }
        }) { IsBackground = true, Name = "chat open-loop generator" };
        generator.Start();
        await Task.Run(generator.Join);

        progress.Phase($"{label}: open loop at {rate:N0}/s, draining", () => fleet.Delivered);
        var keptUp = await run._allMeasuredDelivered.Task.WaitAsync(DrainTimeout).ContinueWith(task => task.IsCompletedSuccessfully);
        var cpuAtEnd = CpuSnapshot.Read(serverPid);
        var (client, server, _) = cpuAtEnd.CoresBusySince(cpuAtStart!.Value);
        fleet.Sink = null;

        // A message still missing counts as late as the drain allowed: the percentiles then show the backlog.
        var missing = Math.Max(0, Volatile.Read(ref run._remaining));
        var latencies = run._latencies.Select(ticks => ticks == 0 ? (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency) : ticks).ToArray();
        var span = Stopwatch.GetElapsedTime(measuredStart, keptUp ? Interlocked.Read(ref run._lastDelivery) : cpuAtEnd.Timestamp);
        var percentiles = LatencyLog.Percentiles(latencies, [50, 99, 99.9, 100]);
        return new LoadResult(
            rate, (run._latencies.Length - missing) / span.TotalSeconds, percentiles[0], percentiles[1], percentiles[2], percentiles[3],
            client, server, Interlocked.Read(ref run._sendFailures), fleet.AckFailures - ackFailuresBefore, keptUp,
            maxLag * 1000.0 / Stopwatch.Frequency);
    }

    public void Delivered(Phone recipient, ReceivedMessage message, long timestamp)
    {
        var slot = Payload.Sequence(message.Plaintext) - _warmUpMessages;
        if (slot < 0)
        {
            return;
        }

        _latencies[slot] = Math.Max(1, timestamp - Payload.Timestamp(message.Plaintext));
        Interlocked.Exchange(ref _lastDelivery, timestamp);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _allMeasuredDelivered.TrySetResult();
        }
    }

    public void Acked(Phone recipient, ReceivedMessage message)
    {
    }

    private async Task SendAsync(Phone phone, int sequence, long due)
    {
        var plaintext = Payload.Create();
        Payload.Stamp(plaintext, due, phone.Index, sequence);
        try
        {
            await phone.Client.SendAsync(phone.Peer, plaintext);
        }
        catch (Exception exception) when (exception is SendFailedException or NotConnectedException)
        {
            Interlocked.Increment(ref _sendFailures);
        }
    }
}
