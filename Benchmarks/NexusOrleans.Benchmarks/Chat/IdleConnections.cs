using System.Diagnostics;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>What the silo holds for idle phones: resident and managed memory before and after they connected.</summary>
internal sealed record IdleResult(
    int Connections,
    double ConnectSeconds,
    long ResidentBefore,
    long ResidentAfter,
    long AnonymousBefore,
    long AnonymousAfter,
    long HeapBefore,
    long HeapAfter,
    int OpenFilesBefore,
    int OpenFilesAfter)
{
    public double ResidentPerConnection => (double)(ResidentAfter - ResidentBefore) / Connections;

    public double AnonymousPerConnection => (double)(AnonymousAfter - AnonymousBefore) / Connections;

    public double HeapPerConnection => (double)(HeapAfter - HeapBefore) / Connections;
}

/// <summary>
/// Idle connections: a fresh silo (SQLite), <see cref="WarmUpPhones"/> phones connected first so that the JIT and
/// first-use allocations are outside the difference, then the silo is measured (a full collection through its diagnostic
/// port, then VmRSS, RssAnon and the managed heap after the collection), then <c>N</c> more phones connect, authenticate,
/// fetch their (empty) inbox and stay idle, and the silo is measured again after they settled. Bytes per connection =
/// the difference ÷ N. It is everything the server holds for an idle phone: the socket, Kestrel's and the WebSocket's
/// state, the gateway connection, and the phone's inbox activation with its subscription.
/// The baseline, measured the same way right after: the bare WebSocket echo server (<see cref="EchoServer"/>) holding as
/// many idle WebSocket connections, which is what Kestrel and the WebSocket alone cost.
/// </summary>
internal static class IdleConnections
{
    public const int WarmUpPhones = 100;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public static async Task<IdleResult> RunAsync(int connections, Progress progress)
    {
        progress.Phase("idle: starting the silo");
        await using var silo = await RelaySilo.StartAsync("sqlite");
        var connected = 0;
        progress.Phase("idle: warm-up phones", () => connected, "connections");
        await using var warm = await PhoneFleet.ConnectAsync(silo.Endpoint, WarmUpPhones, count => connected = count);
        await Task.Delay(TimeSpan.FromSeconds(2));
        progress.Phase("idle: measuring the silo before");
        var before = await MeasureAsync(silo.Pid);

        connected = 0;
        progress.Phase($"idle: connecting {connections:N0} phones", () => connected, "connections");
        var started = Stopwatch.GetTimestamp();
        await using var fleet = await PhoneFleet.ConnectAsync(silo.Endpoint, connections, count => connected = count);
        var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        progress.Phase("idle: settling");
        await Task.Delay(Settle);
        progress.Phase("idle: measuring the silo after");
        var after = await MeasureAsync(silo.Pid);
        progress.Phase("idle: disconnecting");
        return Result(connections, connectSeconds, before, after);
    }

    /// <summary>The same measurement with bare WebSocket connections to the echo server.</summary>
    public static async Task<IdleResult> RunEchoAsync(int connections, Progress progress)
    {
        progress.Phase("idle echo: starting the server");
        var (process, endpoint) = await EchoServer.StartAsync();
        await using var server = process;
        var warm = await EchoLoad.ConnectAsync(endpoint, WarmUpPhones, progress, "idle echo: warm-up connections");
        await Task.Delay(TimeSpan.FromSeconds(2));
        progress.Phase("idle echo: measuring the server before");
        var before = await MeasureAsync(server.Pid);
        var started = Stopwatch.GetTimestamp();
        var sockets = await EchoLoad.ConnectAsync(endpoint, connections, progress, $"idle echo: connecting {connections:N0}");
        var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        progress.Phase("idle echo: settling");
        await Task.Delay(Settle);
        progress.Phase("idle echo: measuring the server after");
        var after = await MeasureAsync(server.Pid);
        progress.Phase("idle echo: disconnecting");
        await EchoLoad.CloseAsync([.. sockets, .. warm]);
        return Result(connections, connectSeconds, before, after);
    }

    private static IdleResult Result(int connections, double connectSeconds, Snapshot before, Snapshot after) => new(
        connections, connectSeconds, before.Resident, after.Resident, before.Anonymous, after.Anonymous, before.Heap, after.Heap, before.Files, after.Files);

    private static async Task<Snapshot> MeasureAsync(int pid)
    {
        var heap = await RemoteGc.CollectAsync(pid, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        return new Snapshot(heap, ProcStats.ResidentBytes(pid), ProcStats.AnonymousResidentBytes(pid), ProcStats.OpenFiles(pid));
    }

    private readonly record struct Snapshot(long Heap, long Resident, long Anonymous, int Files);
}
