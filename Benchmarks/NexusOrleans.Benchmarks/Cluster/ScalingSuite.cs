using System.Diagnostics;
using System.Globalization;
using NexusOrleans.Benchmarks.Chat;
using NexusOrleans.Benchmarks.Measurement;
using NexusOrleans.Testing.Postgres;

namespace NexusOrleans.Benchmarks.Cluster;

/// <summary>
/// Suite <c>scaling</c>: the chat path through a cluster of 1, 2 and 3 silo processes on one PostgreSQL, and failover.
/// </summary>
/// <remarks>
/// <para>Each round, for each cluster size: a fresh database, the silos started one after the other, phones spread over
/// every silo's gateway (phone <c>i</c> on silo <c>i mod n</c>, so with two or more silos the two phones of a pair are on
/// different gateways and most inboxes live on a third party's silo), then the chat suite's closed loop (peak delivered
/// messages/s and its latency) and its open loop at one offered rate for every size: half the one-silo peak of the same
/// round, so the p99s compare like with like. The one-silo cluster is the baseline: same code, same database, no
/// cross-silo hop.</para>
/// <para>After the three-silo run, failover: pairs whose two phones sit on the gateways of silos 1 and 2 and whose
/// recipient's inbox lives on silo 3 keep sending, one message per pair every 50 ms; silo 3 is killed with SIGKILL; the
/// figure is the time from the kill to the first message sent after it that reaches one of those recipients. It spans
/// the shipped settings' detection (DeadAfter 6 s), lease expiry (5 s, overlapping) and the takeover.</para>
/// <para>Everything shares the machine's cores: PostgreSQL, every silo and the load generator. On two cores the
/// cluster cannot be faster than one silo; what this shows is what the extra hop and coordination cost.</para>
/// </remarks>
public static class ScalingSuite
{
    private static readonly int[] Sizes = [1, 2, 3];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan OpenWarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbePace = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan FailoverPatience = TimeSpan.FromSeconds(60);

    /// <summary>Runs the suite; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = 3;
        var phones = 300;
        for (var i = 0; i < args.Length; i++)
        {
            var ok = args[i] switch
            {
                "--rounds" when i + 1 < args.Length => int.TryParse(args[++i], CultureInfo.InvariantCulture, out rounds) && rounds > 0,
                "--phones" when i + 1 < args.Length => int.TryParse(args[++i], CultureInfo.InvariantCulture, out phones) && phones >= 6 && phones % 6 == 0,
                _ => false,
            };
            if (!ok)
            {
                await Console.Error.WriteLineAsync($"scaling: cannot read '{args[i]}'. usage: … -- scaling [--rounds N] [--phones N (a multiple of 6)]");
                return 64;
            }
        }

        Console.WriteLine($"scaling: {rounds} round(s) of 1, 2 and 3 silos on PostgreSQL, {phones} phones; {Machine.Describe()}");
        Console.WriteLine($"scaling: building the silo (Release): {RelaySilo.SiloAssembly}");
        await RelaySilo.BuildAsync();
        await using var server = await PostgresServer.StartLocalAsync();
        var results = new List<Round>();
        using (var progress = new Progress())
        {
            for (var round = 1; round <= rounds; round++)
            {
                results.Add(await RunRoundAsync(server, phones, round, rounds, progress));
            }
        }

        Print(results);
        return results.All(round => round.Runs.All(run => run.Closed.SendFailures == 0 && run.Open.SendFailures == 0)) ? 0 : 1;
    }

    private static async Task<Round> RunRoundAsync(PostgresServer server, int phones, int round, int rounds, Progress progress)
    {
        var runs = new List<Run>();
        double? openRate = null;
        TimeSpan? failover = null;
        foreach (var size in Sizes)
        {
            var label = $"round {round}/{rounds}, {size} silo{(size == 1 ? "" : "s")}";
            progress.Phase($"{label}: starting");
            await using var cluster = await ClusterOfSilos.StartAsync(await server.CreateDatabaseAsync(), size);
            progress.Phase($"{label}: connecting {phones} phones");
            await using var fleet = await PhoneFleet.ConnectAsync(cluster.Gateways, phones);
            var closed = await ClosedLoop.RunAsync(fleet, cluster.Pids[0], WarmUp, Measured, progress, label);
            openRate ??= Math.Round(closed.DeliveredPerSecond / 2);
            var open = await OpenLoopRun.RunAsync(fleet, cluster.Pids[0], openRate.Value, OpenWarmUp, Measured, progress, label);
            runs.Add(new Run(size, closed, open));
            if (size == 3)
            {
                progress.Phase($"{label}: failover");
                failover = await MeasureFailoverAsync(cluster, fleet);
            }
        }

        return new Round(runs, openRate!.Value, failover);
    }

    /// <summary>Kill -9 of the third silo; time until a message sent after it reaches an inbox that silo served.</summary>
    private static async Task<TimeSpan?> MeasureFailoverAsync(ClusterOfSilos cluster, PhoneFleet fleet)
    {
        var owners = await cluster.InboxOwnersAsync();
        var victimPort = cluster.ClusterPorts[2];
        // Both phones of the pair on the survivors' gateways (phone i is on silo i mod 3), the recipient's inbox on silo 3.
        var recipients = fleet.Phones
            .Where(phone => phone.Index % 3 != 2 && (phone.Index ^ 1) % 3 != 2)
            .Where(phone => owners.TryGetValue(phone.Keys.Identity.ToString(), out var port) && port == victimPort)
            .ToArray();
        if (recipients.Length == 0)
        {
            return null;
        }

        var probe = new FailoverProbe([.. recipients.Select(phone => phone.Index)]);
        fleet.Sink = probe;
        var plaintext = Payload.Create();
        var killedAt = Stopwatch.GetTimestamp();
        probe.KilledAt = killedAt;
        cluster.Kill(2);
        while (!probe.Reached.Task.IsCompleted && Stopwatch.GetElapsedTime(killedAt) < FailoverPatience)
        {
            foreach (var recipient in recipients)
            {
                var sender = fleet.Phones[recipient.Index ^ 1];
                Payload.Stamp(plaintext, Stopwatch.GetTimestamp(), sender.Index, 0);
                _ = sender.Client.SendAsync(sender.Peer, plaintext.ToArray()).ContinueWith(static _ => { }, TaskScheduler.Default);
            }

            await Task.WhenAny(probe.Reached.Task, Task.Delay(ProbePace));
        }

        fleet.Sink = null;
        return probe.Reached.Task.IsCompleted ? Stopwatch.GetElapsedTime(killedAt, await probe.Reached.Task) : null;
    }

    private static void Print(IReadOnlyList<Round> rounds)
    {
        Console.WriteLine();
        Console.WriteLine("| silos | delivered msgs/s (closed loop) | × one silo | p50 / p99 ms (closed loop) | p99 ms at the common open-loop rate | send failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        var baseline = Stats.Median(rounds.Select(round => round.Runs[0].Closed.DeliveredPerSecond));
        foreach (var size in Sizes)
        {
            var runs = rounds.Select(round => round.Runs.Single(run => run.Silos == size)).ToArray();
            var rate = Stats.Median(runs.Select(run => run.Closed.DeliveredPerSecond));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {size} | {rate:N0} ({string.Join(", ", runs.Select(run => run.Closed.DeliveredPerSecond.ToString("N0", CultureInfo.InvariantCulture)))}) | " +
                $"{rate / baseline:F2}× | {Stats.Median(runs.Select(run => run.Closed.P50Ms)):F1} / {Stats.Median(runs.Select(run => run.Closed.P99Ms)):F1} | " +
                $"{Stats.Median(runs.Select(run => run.Open.P99Ms)):F1} ({string.Join(", ", runs.Select(run => run.Open.P99Ms.ToString("F1", CultureInfo.InvariantCulture)))}) | " +
                $"{runs.Sum(run => run.Closed.SendFailures + run.Open.SendFailures)} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Common open-loop rate per round (half the one-silo peak): {string.Join(", ", rounds.Select(round => round.OpenRate.ToString("N0", CultureInfo.InvariantCulture)))} msgs/s."));
        var failovers = rounds.Select(round => round.Failover).ToArray();
        var measured = failovers.OfType<TimeSpan>().Select(span => span.TotalSeconds).ToArray();
        Console.WriteLine(measured.Length == 0
            ? "Failover: not measured (no recipient pair fitted, or no delivery within a minute)."
            : string.Create(CultureInfo.InvariantCulture,
                $"Failover, kill -9 to the first delivery to an inbox the killed silo served: median {Stats.Median(measured):F2} s ({Each(failovers)}); shipped settings: heartbeat 1 s, lease 5 s, dead after 6 s."));
    }

    private static string Each(IEnumerable<TimeSpan?> failovers) =>
        string.Join(", ", failovers.Select(span => span is { } value ? value.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) : "none"));

    private sealed record Run(int Silos, LoadResult Closed, LoadResult Open);

    private sealed record Round(IReadOnlyList<Run> Runs, double OpenRate, TimeSpan? Failover);

    /// <summary>Completes with the timestamp of the first delivery, to a watched recipient, of a message stamped after the kill.</summary>
    private sealed class FailoverProbe(HashSet<int> recipients) : IDeliverySink
    {
        public long KilledAt { get; set; }

        public TaskCompletionSource<long> Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Delivered(Phone recipient, NexusOrleans.Client.ReceivedMessage message, long timestamp)
        {
            if (recipients.Contains(recipient.Index) && Payload.Timestamp(message.Plaintext) > KilledAt)
            {
                Reached.TrySetResult(timestamp);
            }
        }

        public void Acked(Phone recipient, NexusOrleans.Client.ReceivedMessage message)
        {
        }
    }
}
