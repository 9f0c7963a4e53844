using System.Globalization;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>
/// Suite <c>chat</c>: the whole chat path (sign, encrypt, send, verify, store, deliver, decrypt, ack, delete) between
/// 1,000 phones on loopback and the real silo in its own process, against two references measured in the same run: the
/// crypto ceiling (the same libsodium work in a tight loop on every core) and a bare ASP.NET Core WebSocket echo driven
/// the same way. Then 10,000 idle phones and what the silo holds for each. Each round measures everything once; the
/// summary quotes medians over the rounds.
/// </summary>
/// <remarks>
/// Usage: <c>chat [crypto] [echo] [relay] [idle] [--rounds N] [--phones N] [--idle-phones N]</c>; with no part named,
/// all of them. <c>chat echo-server PORT</c> is the echo baseline's server, which the suite starts as a child process.
/// </remarks>
public static class ChatSuite
{
    /// <summary>Target: relayed throughput at least this fraction of the crypto ceiling.</summary>
    public const double TargetCeilingRatio = 0.5;

    /// <summary>Target: p99 at half of the peak load, milliseconds.</summary>
    public const double TargetP99Milliseconds = 50;

    /// <summary>Target: server memory per idle connection, bytes.</summary>
    public const double TargetBytesPerIdleConnection = 32 * 1024;

    private static readonly TimeSpan CryptoPerOperation = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan CryptoWindow = TimeSpan.FromSeconds(5);
    // A fresh server process needs this long under load before its JIT has finished tiering up the hot path (a perf
    // profile taken after 5 s still showed a fifth of the CPU in the JIT and much of the gateway in instrumented code;
    // one taken after 15 s, in a slow minute of this machine, still 8 % of the silo's CPU in the JIT).
    private static readonly TimeSpan ColdWarmUp = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MemoryMeasured = TimeSpan.FromSeconds(10);

    /// <summary>Runs the suite; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["echo-server", var portText] && int.TryParse(portText, CultureInfo.InvariantCulture, out var port))
        {
            return await EchoServer.RunAsync(port);
        }

        if (!TryParse(args, out var settings, out var problem))
        {
            await Console.Error.WriteLineAsync($"chat: {problem}");
            await Console.Error.WriteLineAsync("usage: … -- chat [crypto] [echo] [relay] [idle] [--rounds N] [--phones N] [--idle-phones N]");
            return 64;
        }

        Console.WriteLine($"chat: {settings.Rounds} round(s) of {string.Join(", ", settings.Parts)}; {settings.Phones:N0} phones, {settings.IdlePhones:N0} idle phones");
        Console.WriteLine($"Machine: {Machine.Describe()}");
        if (settings.Parts.Overlaps(["relay", "idle"]))
        {
            Console.WriteLine($"chat: building the silo (Release): {RelaySilo.SiloAssembly}");
            await RelaySilo.BuildAsync();
        }

        var rounds = new List<RoundResult>();
        using (var progress = new Progress())
        {
            for (var round = 1; round <= settings.Rounds; round++)
            {
                rounds.Add(await RunRoundAsync(settings, round, progress));
            }
        }

        ChatReport.Print(settings, rounds);
        return 0;
    }

    private static async Task<RoundResult> RunRoundAsync(Settings settings, int round, Progress progress)
    {
        var result = new RoundResult();
        var tag = $"round {round}/{settings.Rounds}";
        if (settings.Parts.Contains("crypto"))
        {
            progress.Phase($"{tag} crypto: µs per operation, one thread");
            result.OperationMicroseconds = CryptoCeiling.MicrosecondsPerOperation(CryptoPerOperation);
            progress.Phase($"{tag} crypto: ceiling, {Environment.ProcessorCount} threads, raw libsodium calls");
            result.CeilingBefore = CryptoCeiling.RawRate(Environment.ProcessorCount, CryptoWindow);
            progress.Phase($"{tag} crypto: ceiling, {Environment.ProcessorCount} threads, protocol API");
            result.ApiCeiling = CryptoCeiling.ApiRate(Environment.ProcessorCount, CryptoWindow);
            progress.Line(string.Create(CultureInfo.InvariantCulture,
                $"  {tag} crypto ceiling: {result.CeilingBefore:N0} msgs/s raw, {result.ApiCeiling:N0} msgs/s through the protocol API; one message = {result.OperationMicroseconds.Sum():F1} µs on one core"));
        }

        if (settings.Parts.Contains("echo"))
        {
            result.Echo = await EchoLoad.RunAsync(settings.Phones, ColdWarmUp, Measured, progress);
            progress.Line($"  {tag} echo: {Describe(result.Echo)}");
        }

        if (settings.Parts.Contains("relay"))
        {
            (result.Peak, result.Half, result.SiloWarnings, result.InvalidDeliveries) = await RelayAsync(settings, "sqlite", tag, progress, openLoop: true, result);
            progress.Line($"  {tag} relay (SQLite), closed loop: {Describe(result.Peak)}");
            progress.Line($"  {tag} relay (SQLite), open loop at 50 % of that: {Describe(result.Half!)}");
            (result.MemoryPeak, _, var warnings, var invalid) = await RelayAsync(settings, "memory", tag, progress, openLoop: false, null);
            result.SiloWarnings += warnings;
            result.InvalidDeliveries += invalid;
            progress.Line($"  {tag} relay (memory storage), closed loop: {Describe(result.MemoryPeak)}");
        }

        if (settings.Parts.Contains("idle"))
        {
            result.Idle = await IdleConnections.RunAsync(settings.IdlePhones, progress);
            progress.Line(string.Create(CultureInfo.InvariantCulture,
                $"  {tag} idle: {result.Idle.Connections:N0} phones connected in {result.Idle.ConnectSeconds:F1} s; silo VmRSS +{result.Idle.ResidentPerConnection:N0} B, " +
                $"RssAnon +{result.Idle.AnonymousPerConnection:N0} B, managed heap +{result.Idle.HeapPerConnection:N0} B per connection; " +
                $"open files {result.Idle.OpenFilesBefore:N0} → {result.Idle.OpenFilesAfter:N0}"));
            result.IdleEcho = await IdleConnections.RunEchoAsync(settings.IdlePhones, progress);
            progress.Line(string.Create(CultureInfo.InvariantCulture,
                $"  {tag} idle echo baseline: {result.IdleEcho.Connections:N0} WebSockets connected in {result.IdleEcho.ConnectSeconds:F1} s; server VmRSS +{result.IdleEcho.ResidentPerConnection:N0} B, " +
                $"RssAnon +{result.IdleEcho.AnonymousPerConnection:N0} B, managed heap +{result.IdleEcho.HeapPerConnection:N0} B per connection; " +
                $"open files {result.IdleEcho.OpenFilesBefore:N0} → {result.IdleEcho.OpenFilesAfter:N0}"));
        }

        return result;
    }

    private static async Task<(LoadResult Peak, LoadResult? Half, int Warnings, int Invalid)> RelayAsync(
        Settings settings, string storage, string tag, Progress progress, bool openLoop, RoundResult? ceilingAfter)
    {
        var label = $"{tag} relay ({storage})";
        progress.Phase($"{label}: starting the silo");
        await using var silo = await RelaySilo.StartAsync(storage);
        var connected = 0;
        progress.Phase($"{label}: connecting phones", () => connected, "phones");
        await using var fleet = await PhoneFleet.ConnectAsync(silo.Endpoint, settings.Phones, count => connected = count);
        var peak = await ClosedLoop.RunAsync(fleet, silo.Pid, ColdWarmUp, storage == "memory" ? MemoryMeasured : Measured, progress, label);
        if (ceilingAfter is not null && settings.Parts.Contains("crypto"))
        {
            // Measured again right after the relayed window (the silo idle, its phones connected), so that the round's
            // ceiling brackets the relayed figure in time: the speed of this virtual machine drifts from minute to minute.
            progress.Phase($"{tag} crypto: ceiling again, right after the relayed window");
            ceilingAfter.CeilingAfter = CryptoCeiling.RawRate(Environment.ProcessorCount, CryptoWindow);
            progress.Line(string.Create(CultureInfo.InvariantCulture, $"  {tag} crypto ceiling right after the relayed window: {ceilingAfter.CeilingAfter:N0} msgs/s raw"));
        }

        LoadResult? half = null;
        if (openLoop)
        {
            half = await OpenLoopRun.RunAsync(fleet, silo.Pid, peak.DeliveredPerSecond * 0.5, WarmUp, Measured, progress, label);
        }

        progress.Phase($"{label}: disconnecting");
        return (peak, half, silo.Warnings, fleet.InvalidDeliveries);
    }

    private static string Describe(LoadResult result)
    {
        var offered = double.IsNaN(result.OfferedPerSecond)
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" (offered {result.OfferedPerSecond:N0}/s{(result.KeptUp ? "" : ", FELL BEHIND")}, generator lag max {result.MaxIssueLagMs:F1} ms)");
        var failures = result.SendFailures + result.AckFailures > 0 ? $"; {result.SendFailures} sends and {result.AckFailures} acks FAILED" : "";
        if (!result.KeptUp && double.IsNaN(result.OfferedPerSecond))
        {
            failures += "; messages still in flight 60 s after the window (NOT DRAINED)";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{result.DeliveredPerSecond:N0}/s{offered}, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, p99.9 {result.P999Ms:F1} ms, max {result.MaxMs:F1} ms; " +
            $"cores busy: load generator {result.ClientCores:F2}, server {result.ServerCores:F2}{failures}");
    }

    private static bool TryParse(string[] args, out Settings settings, out string problem)
    {
        settings = new Settings();
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "crypto" or "echo" or "relay" or "idle":
                    settings.Parts.Add(args[i]);
                    break;
                case "--rounds" or "--phones" or "--idle-phones" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0:
                    _ = args[i] switch
                    {
                        "--rounds" => settings.Rounds = value,
                        "--phones" => settings.Phones = value,
                        _ => settings.IdlePhones = value,
                    };
                    i++;
                    break;
                default:
                    problem = $"unknown or incomplete argument '{args[i]}'";
                    return false;
            }
        }

        if (settings.Phones % 2 != 0 || settings.IdlePhones % 2 != 0)
        {
            problem = "phones come in pairs: --phones and --idle-phones must be even";
            return false;
        }

        if (settings.Parts.Count == 0)
        {
            settings.Parts.UnionWith(["crypto", "echo", "relay", "idle"]);
        }

        return true;
    }

    /// <summary>What to run.</summary>
    internal sealed class Settings
    {
        public HashSet<string> Parts { get; } = [];

        public int Rounds { get; set; } = 3;

        public int Phones { get; set; } = 1000;

        public int IdlePhones { get; set; } = 10_000;
    }

    /// <summary>Everything one round measured; a part not run leaves its members null.</summary>
    internal sealed class RoundResult
    {
        public double[]? OperationMicroseconds { get; set; }

        /// <summary>The crypto ceiling at the start of the round.</summary>
        public double CeilingBefore { get; set; } = double.NaN;

        /// <summary>The crypto ceiling right after the relayed closed loop.</summary>
        public double CeilingAfter { get; set; } = double.NaN;

        /// <summary>The round's ceiling: the mean of both measurements around the relayed window (or the one there is).</summary>
        public double Ceiling => double.IsNaN(CeilingAfter) ? CeilingBefore : double.IsNaN(CeilingBefore) ? CeilingAfter : (CeilingBefore + CeilingAfter) / 2;

        public double ApiCeiling { get; set; } = double.NaN;

        public LoadResult? Echo { get; set; }

        public LoadResult? Peak { get; set; }

        public LoadResult? Half { get; set; }

        public LoadResult? MemoryPeak { get; set; }

        public IdleResult? Idle { get; set; }

        public IdleResult? IdleEcho { get; set; }

        public int SiloWarnings { get; set; }

        public int InvalidDeliveries { get; set; }
    }
}
