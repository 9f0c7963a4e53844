using System.Globalization;
using NexusOrleans.Benchmarks.Measurement;
using static NexusOrleans.Benchmarks.Chat.ChatSuite;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>The chat suite's summary: every round, then the medians against the targets, then where the time goes.</summary>
internal static class ChatReport
{
    public static void Print(Settings settings, List<RoundResult> rounds)
    {
        Console.WriteLine();
        Console.WriteLine($"## chat: {settings.Phones:N0} phones on loopback, 1 KiB messages, {rounds.Count} round(s)");
        Console.WriteLine();
        Console.WriteLine($"Machine: {Machine.Describe()}");
        Console.WriteLine();
        PrintRounds(rounds);
        PrintTargets(settings, rounds);
        PrintCrypto(rounds);
        PrintTime(rounds);
        var warnings = rounds.Sum(round => round.SiloWarnings);
        var invalid = rounds.Sum(round => round.InvalidDeliveries);
        var failures = rounds.SelectMany(Loads).Sum(load => load.SendFailures + load.AckFailures + (load.KeptUp ? 0 : 1));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Checks: {failures} failed sends, acks or undrained runs, {invalid} deliveries that did not verify or decrypt, {warnings} warnings logged by the silo{(failures + invalid + warnings == 0 ? " (all clean)." : ": see the 'server:' lines on standard error; the figures are suspect.")}"));
    }

    private static IEnumerable<LoadResult> Loads(RoundResult round) =>
        new[] { round.Peak, round.Half, round.MemoryPeak }.OfType<LoadResult>();

    private static void PrintRounds(List<RoundResult> rounds)
    {
        var table = new MarkdownTable(
            "round", "crypto ceiling msgs/s (before / after the relayed window)", "protocol API msgs/s", "echo echoes/s", "relayed msgs/s (closed loop)", "closed loop p50 / p99 ms",
            "relayed ÷ ceiling", "open loop offered → delivered msgs/s", "open loop p50 / p99 / max ms", "relayed msgs/s, memory storage",
            "idle silo B/conn VmRSS / managed", "idle echo B/conn VmRSS / managed");
        var number = 0;
        foreach (var round in rounds)
        {
            number++;
            table.Row(
                number.ToString(CultureInfo.InvariantCulture),
                $"{Count(round.Ceiling)} ({Count(round.CeilingBefore)} / {Count(round.CeilingAfter)})",
                Count(round.ApiCeiling),
                Count(round.Echo?.DeliveredPerSecond),
                Count(round.Peak?.DeliveredPerSecond),
                round.Peak is { } peak ? $"{Ms(peak.P50Ms)} / {Ms(peak.P99Ms)}" : "—",
                round.Peak is { } p && !double.IsNaN(round.Ceiling) ? Format.Ratio(p.DeliveredPerSecond / round.Ceiling) : "—",
                round.Half is { } half ? $"{Count(half.OfferedPerSecond)} → {Count(half.DeliveredPerSecond)}{(half.KeptUp ? "" : " (fell behind)")}" : "—",
                round.Half is { } h ? $"{Ms(h.P50Ms)} / {Ms(h.P99Ms)} / {Ms(h.MaxMs)}" : "—",
                Count(round.MemoryPeak?.DeliveredPerSecond),
                round.Idle is { } idle ? $"{Count(idle.ResidentPerConnection)} / {Count(idle.HeapPerConnection)}" : "—",
                round.IdleEcho is { } echo ? $"{Count(echo.ResidentPerConnection)} / {Count(echo.HeapPerConnection)}" : "—");
        }

        Console.Write(table);
        Console.WriteLine();
    }

    private static void PrintTargets(Settings settings, List<RoundResult> rounds)
    {
        var table = new MarkdownTable("figure", "measured (median)", "baseline, same run (median)", "ratio", "target", "verdict");
        var ceiling = Median(rounds.Select(round => round.Ceiling));
        var relayed = Median(rounds.Select(round => round.Peak?.DeliveredPerSecond));
        var echo = Median(rounds.Select(round => round.Echo?.DeliveredPerSecond));
        if (!double.IsNaN(relayed))
        {
            // The ratio is taken within each round (both figures from the same minutes of the same machine), then the median.
            var ratio = Median(rounds.Select(round => round.Peak?.DeliveredPerSecond / round.Ceiling));
            var echoRatio = Median(rounds.Select(round => round.Peak?.DeliveredPerSecond / round.Echo?.DeliveredPerSecond));
            table.Row(
                $"relayed throughput, closed loop, {settings.Phones:N0} phones, SQLite",
                $"{Count(relayed)} msgs/s",
                $"(a) crypto ceiling {Count(ceiling)} msgs/s",
                Format.Ratio(ratio),
                $"≥ {Format.Ratio(TargetCeilingRatio)}",
                double.IsNaN(ratio) ? "—" : Format.Verdict(ratio >= TargetCeilingRatio));
            table.Row(
                "same, for scale",
                $"{Count(relayed)} msgs/s",
                $"(b) WebSocket echo {Count(echo)} echoes/s",
                Format.Ratio(echoRatio),
                "— (reported for scale)",
                "—");
            var p50 = Median(rounds.Select(round => round.Half?.P50Ms));
            var p99 = Median(rounds.Select(round => round.Half?.P99Ms));
            var offered = Median(rounds.Select(round => round.Half?.OfferedPerSecond));
            var floor = Median(rounds.Select(round => round.OperationMicroseconds?.Sum() / 1000));
            var keptUp = rounds.All(round => round.Half?.KeptUp != false);
            table.Row(
                $"latency p50 / p99, open loop at 50 % of peak ({Count(offered)} msgs/s){(keptUp ? "" : ", FELL BEHIND in a round")}",
                $"{Ms(p50)} / {Ms(p99)} ms",
                $"one message's crypto on one core {Format.Fixed(floor, 2)} ms",
                double.IsNaN(floor) ? "—" : $"{Format.Ratio(p50 / floor)} / {Format.Ratio(p99 / floor)}",
                $"p99 ≤ {TargetP99Milliseconds:F0} ms",
                Format.Verdict(p99 <= TargetP99Milliseconds && keptUp));
        }

        var resident = Median(rounds.Select(round => round.Idle?.ResidentPerConnection));
        if (!double.IsNaN(resident))
        {
            var heap = Median(rounds.Select(round => round.Idle?.HeapPerConnection));
            var echoResident = Median(rounds.Select(round => round.IdleEcho?.ResidentPerConnection));
            var echoHeap = Median(rounds.Select(round => round.IdleEcho?.HeapPerConnection));
            table.Row(
                $"silo memory per idle connection, {settings.IdlePhones:N0} connections (ΔVmRSS ÷ connections; managed heap after a full GC)",
                $"{Count(resident)} B ({Format.Fixed(resident / 1024, 1)} KiB); managed {Count(heap)} B",
                $"bare WebSocket echo {Count(echoResident)} B; managed {Count(echoHeap)} B",
                $"{Format.Ratio(resident / echoResident)}; managed {Format.Ratio(heap / echoHeap)}",
                $"≤ {TargetBytesPerIdleConnection / 1024:F0} KiB",
                Format.Verdict(resident <= TargetBytesPerIdleConnection));
        }

        Console.Write(table);
        Console.WriteLine();
    }

    private static void PrintCrypto(List<RoundResult> rounds)
    {
        if (rounds.All(round => round.OperationMicroseconds is null))
        {
            return;
        }

        var table = new MarkdownTable("libsodium work of one message (path order)", "µs per message, one thread (median)", "share");
        var perOperation = Enumerable.Range(0, CryptoCeiling.Operations.Length)
            .Select(i => Median(rounds.Select(round => round.OperationMicroseconds?[i])))
            .ToArray();
        for (var i = 0; i < perOperation.Length; i++)
        {
            table.Row(CryptoCeiling.Operations[i], Format.Fixed(perOperation[i], 2), Percent(perOperation[i] / perOperation.Sum()));
        }

        table.Row("one message", Format.Fixed(perOperation.Sum(), 1), "100 %");
        Console.Write(table);
        Console.WriteLine();
    }

    private static void PrintTime(List<RoundResult> rounds)
    {
        if (rounds.All(round => round.Peak is null))
        {
            return;
        }

        // The libsodium calls each process makes per message: the phones seal, decode and open; the gateway decodes.
        var ops = Enumerable.Range(0, CryptoCeiling.Operations.Length)
            .Select(i => Median(rounds.Select(round => round.OperationMicroseconds?[i])))
            .ToArray();
        var (nonce, box, sign, hashes, conversions, verifies, unbox) = (ops[0], ops[1], ops[2], ops[3], ops[4], ops[5], ops[6]);
        var phoneCrypto = nonce + box + sign + hashes * 2 / 3 + conversions / 2 + verifies / 2 + unbox;
        var siloCrypto = hashes / 3 + conversions / 2 + verifies / 2;

        var table = new MarkdownTable("closed loop at peak (medians)", "load generator (1,000 phones)", "silo (gateway + inbox + storage)", "both");
        var clientCores = Median(rounds.Select(round => round.Peak?.ClientCores));
        var serverCores = Median(rounds.Select(round => round.Peak?.ServerCores));
        table.Row("cores busy", Format.Fixed(clientCores, 2), Format.Fixed(serverCores, 2), Format.Fixed(clientCores + serverCores, 2));
        var client = Median(rounds.Select(round => round.Peak?.ClientMicrosecondsPerMessage));
        var server = Median(rounds.Select(round => round.Peak?.ServerMicrosecondsPerMessage));
        table.Row("CPU µs per delivered message, SQLite", Format.Fixed(client, 0), Format.Fixed(server, 0), Format.Fixed(client + server, 0));
        table.Row("of which libsodium (µs per operation above)", Format.Fixed(phoneCrypto, 0), Format.Fixed(siloCrypto, 0), Format.Fixed(phoneCrypto + siloCrypto, 0));
        table.Row("everything else", Format.Fixed(client - phoneCrypto, 0), Format.Fixed(server - siloCrypto, 0), Format.Fixed(client + server - phoneCrypto - siloCrypto, 0));
        var memoryClient = Median(rounds.Select(round => round.MemoryPeak?.ClientMicrosecondsPerMessage));
        var memoryServer = Median(rounds.Select(round => round.MemoryPeak?.ServerMicrosecondsPerMessage));
        table.Row("CPU µs per delivered message, memory storage", Format.Fixed(memoryClient, 0), Format.Fixed(memoryServer, 0), Format.Fixed(memoryClient + memoryServer, 0));
        table.Row("difference, SQLite − memory (separate silos and fleets: within run-to-run noise when small)", Format.Fixed(client - memoryClient, 0), Format.Fixed(server - memoryServer, 0), Format.Fixed(client + server - memoryClient - memoryServer, 0));
        var halfClient = Median(rounds.Select(round => round.Half?.ClientMicrosecondsPerMessage));
        var halfServer = Median(rounds.Select(round => round.Half?.ServerMicrosecondsPerMessage));
        table.Row("CPU µs per delivered message, SQLite, open loop at half load (later in the run)", Format.Fixed(halfClient, 0), Format.Fixed(halfServer, 0), Format.Fixed(halfClient + halfServer, 0));
        var echoClient = Median(rounds.Select(round => round.Echo?.ClientMicrosecondsPerMessage));
        var echoServer = Median(rounds.Select(round => round.Echo?.ServerMicrosecondsPerMessage));
        table.Row("(b) echo: CPU µs per echo", Format.Fixed(echoClient, 0), Format.Fixed(echoServer, 0), Format.Fixed(echoClient + echoServer, 0));
        Console.Write(table);
        Console.WriteLine();
    }

    private static double Median(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().Where(value => !double.IsNaN(value)).ToArray();
        return present.Length == 0 ? double.NaN : Stats.Median(present);
    }

    private static double Median(IEnumerable<double> values) => Median(values.Select(value => (double?)value));

    private static string Count(double? value) => value is { } v && !double.IsNaN(v) ? Format.Count(v) : "—";

    private static string Ms(double value) => double.IsNaN(value) ? "—" : Format.Fixed(value, value < 10 ? 2 : 1);

    private static string Percent(double fraction) => (fraction * 100).ToString("F0", CultureInfo.InvariantCulture) + " %";
}
