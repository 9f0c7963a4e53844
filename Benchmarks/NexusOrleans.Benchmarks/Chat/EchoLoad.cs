using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>
/// Reference (b), the client side: the same number of connections as phones, from this process, on the same
/// <see cref="ClientWebSocket"/> the phones' client uses, each keeping one 1 KiB text message in flight (closed loop, as
/// the phones do) and reading the echo into a 16 KiB pooled buffer as <c>RelayConnection</c> does. Rate = echoes
/// received per second over the measured window; latency = from the send to the whole echo received.
/// </summary>
internal static class EchoLoad
{
    private const int ConnectParallelism = 32;

    public static async Task<LoadResult> RunAsync(int connections, TimeSpan warmUp, TimeSpan measured, Progress progress)
    {
        progress.Phase("echo: starting the server");
        var (process, endpoint) = await EchoServer.StartAsync();
        await using var server = process;
        var sockets = await ConnectAsync(endpoint, connections, progress, "echo");
        var latencies = new LatencyLog(4_000_000);
        long echoes = 0;
        var recording = 0;
        var stop = 0;
        var loops = sockets.Select(async socket =>
        {
            await Task.Yield();
            var message = new byte[Payload.Bytes];
            message.AsSpan().Fill((byte)'e');
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    ValueWebSocketReceiveResult received;
                    do
                    {
                        received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    }
                    while (!received.EndOfMessage);

                    Interlocked.Increment(ref echoes);
                    if (Volatile.Read(ref recording) == 1)
                    {
                        latencies.Add(Stopwatch.GetTimestamp() - started);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }).ToArray();

        progress.Phase("echo: closed loop, warm-up", () => Interlocked.Read(ref echoes), "echoes");
        await Task.Delay(warmUp);
        progress.Phase("echo: closed loop, measuring", () => Interlocked.Read(ref echoes), "echoes");
        var before = Interlocked.Read(ref echoes);
        var cpu = CpuSnapshot.Read(server.Pid);
        Volatile.Write(ref recording, 1);
        await Task.Delay(measured);
        Volatile.Write(ref recording, 0);
        var (client, serverCores, wall) = CpuSnapshot.Read(server.Pid).CoresBusySince(cpu);
        var rate = (Interlocked.Read(ref echoes) - before) / wall.TotalSeconds;
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(loops);
        await CloseAsync(sockets);

        var percentiles = latencies.Milliseconds(50, 99, 99.9, 100);
        return new LoadResult(double.NaN, rate, percentiles[0], percentiles[1], percentiles[2], percentiles[3], client, serverCores, 0, 0, true, 0);
    }

    /// <summary>Opens <paramref name="count"/> WebSockets to <paramref name="endpoint"/>, a few at a time.</summary>
    public static async Task<ClientWebSocket[]> ConnectAsync(Uri endpoint, int count, Progress progress, string label)
    {
        var sockets = new ClientWebSocket[count];
        var connected = 0;
        progress.Phase($"{label}: connecting", () => connected, "connections");
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (i, cancellationToken) =>
        {
            sockets[i] = new ClientWebSocket();
            await sockets[i].ConnectAsync(endpoint, cancellationToken);
            Interlocked.Increment(ref connected);
        });
        return sockets;
    }

    /// <summary>Closes every socket (close handshake) and disposes it.</summary>
    public static Task CloseAsync(ClientWebSocket[] sockets) =>
        Parallel.ForEachAsync(sockets, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (socket, cancellationToken) =>
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
            }
            catch (WebSocketException)
            {
            }

            socket.Dispose();
        });
}
