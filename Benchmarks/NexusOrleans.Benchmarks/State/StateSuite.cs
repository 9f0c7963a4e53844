using System.Diagnostics;
using System.Globalization;
using NexusOrleans.Benchmarks.Grains;
using NexusOrleans.Benchmarks.Hosting;
using NexusOrleans.Benchmarks.Measurement;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Sqlite;

namespace NexusOrleans.Benchmarks.State;

/// <summary>
/// Suite <c>state</c>: <see cref="Writers"/> grains each write their counter in a loop, awaited, for
/// <see cref="Measured"/>; writes per second to SQLite (a temp file) and PostgreSQL, with group commit (the default
/// batch limit) against one transaction per write (batch limit 1, the baseline). Every write is durable when it is
/// acknowledged in both configurations: SQLite runs with synchronous=FULL in WAL mode, PostgreSQL with fsync and
/// synchronous_commit on. Configurations take turns within each run; each run starts a fresh silo.
/// </summary>
public static class StateSuite
{
    /// <summary>Grains writing concurrently.</summary>
    public const int Writers = 256;

    /// <summary>Runs per configuration; the median is quoted.</summary>
    public const int Runs = 5;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(5);

    /// <summary>Runs the suite on both stores, or on the one named by <paramref name="only"/> (sqlite or postgres); returns the exit code.</summary>
    public static async Task<int> RunAsync(string? only)
    {
        if (only is not (null or "sqlite" or "postgres"))
        {
            await Console.Error.WriteLineAsync($"state: unknown store '{only}'; use sqlite or postgres, or nothing for both.");
            return 64;
        }

        var directory = Directory.CreateTempSubdirectory("nexus-bench-state-");
        await using var postgres = only == "sqlite" ? null : await BenchPostgres.StartAsync();
        try
        {
            var postgresSettings = postgres is null ? "" : await postgres.DescribeAsync();
            var connectionString = postgres?.ConnectionString ?? "";
            var configurations = new[]
            {
                new Configuration("SQLite", GroupCommit: true, Path.Combine(directory.FullName, "group.db"), connectionString),
                new Configuration("SQLite", GroupCommit: false, Path.Combine(directory.FullName, "single.db"), connectionString),
                new Configuration("PostgreSQL", GroupCommit: true, "", connectionString),
                new Configuration("PostgreSQL", GroupCommit: false, "", connectionString),
            }.Where(configuration => only is null || configuration.Store.Equals(only == "sqlite" ? "SQLite" : "PostgreSQL", StringComparison.Ordinal)).ToArray();
            var results = configurations.ToDictionary(configuration => configuration, _ => new List<WriteRun>());
            for (var run = 0; run < Runs; run++)
            {
                foreach (var configuration in configurations)
                {
                    var result = await MeasureAsync(configuration, run);
                    results[configuration].Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  run {run + 1} {configuration.Name}: {result.WritesPerSecond:N0} writes/s, {result.WritesPerTransaction:F1} writes per transaction"));
                }
            }

            Print(results, postgres?.Origin ?? "not run", postgresSettings);
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<WriteRun> MeasureAsync(Configuration configuration, int run)
    {
        await using var silo = await BenchSilo.StartAsync(runtime => configuration.UseStorage(runtime.AddGrain<CounterGrain>()));
        var grains = Enumerable.Range(0, Writers)
            .Select(i => silo.Grains.GetGrain<ICounterGrain>(string.Create(CultureInfo.InvariantCulture, $"counter-{run}-{i}")))
            .ToArray();
        await Task.WhenAll(grains.Select(grain => grain.Increment()));

        var completed = 0L;
        var stop = false;
        var writers = grains.Select(async grain =>
        {
            while (!Volatile.Read(ref stop))
            {
                await grain.Increment();
                Interlocked.Increment(ref completed);
            }
        }).ToArray();

        await Task.Delay(WarmUp);
        var (startWrites, startTransactions, startOperations) = (Interlocked.Read(ref completed), Transactions(silo.Storage), Operations(silo.Storage));
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(Measured);
        var (endWrites, endTransactions, endOperations) = (Interlocked.Read(ref completed), Transactions(silo.Storage), Operations(silo.Storage));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Volatile.Write(ref stop, true);
        await Task.WhenAll(writers);

        return new WriteRun(
            (endWrites - startWrites) / elapsed.TotalSeconds,
            (double)(endOperations - startOperations) / Math.Max(1, endTransactions - startTransactions));
    }

    private static long Transactions(IStorageProvider storage) => storage switch
    {
        SqliteStorageProvider sqlite => sqlite.CommittedBatches,
        PostgresStorageProvider postgres => postgres.CommittedBatches,
        _ => throw new InvalidOperationException($"Storage '{storage.Name}' has no commit counters."),
    };

    private static long Operations(IStorageProvider storage) => storage switch
    {
        SqliteStorageProvider sqlite => sqlite.CommittedOperations,
        PostgresStorageProvider postgres => postgres.CommittedOperations,
        _ => throw new InvalidOperationException($"Storage '{storage.Name}' has no commit counters."),
    };

    private static void Print(Dictionary<Configuration, List<WriteRun>> results, string postgresOrigin, string postgresSettings)
    {
        var table = new MarkdownTable("store", "group commit writes/s", "rows per transaction", "one transaction per write (baseline) writes/s", "ratio", "runs group commit", "runs baseline");
        foreach (var store in results.Keys.Select(configuration => configuration.Store).Distinct())
        {
            var group = results.Single(entry => entry.Key.Store == store && entry.Key.GroupCommit).Value;
            var single = results.Single(entry => entry.Key.Store == store && !entry.Key.GroupCommit).Value;
            var groupRate = Stats.Median(group.Select(run => run.WritesPerSecond));
            var singleRate = Stats.Median(single.Select(run => run.WritesPerSecond));
            table.Row(
                store,
                Format.Count(groupRate),
                Format.Fixed(Stats.Median(group.Select(run => run.WritesPerTransaction)), 1),
                Format.Count(singleRate),
                Format.Ratio(groupRate / singleRate),
                string.Join(", ", group.Select(run => Format.Count(run.WritesPerSecond))),
                string.Join(", ", single.Select(run => Format.Count(run.WritesPerSecond))));
        }

        Console.WriteLine();
        Console.WriteLine($"## state: durable state writes, {Writers} grains writing in a loop");
        Console.WriteLine();
        Console.WriteLine($"Machine: {Machine.Describe()}");
        Console.WriteLine($"Median of {Runs} runs of {Measured.TotalSeconds:F0} s (after {WarmUp.TotalSeconds:F0} s warm-up), configurations interleaved, a fresh silo each run. " +
                          $"Group commit: default MaxBatchSize (SQLite {new SqliteStorageOptions().MaxBatchSize}, PostgreSQL {new PostgresStorageOptions().MaxBatchSize}); baseline: MaxBatchSize = 1. " +
                          $"SQLite: temp file on the local disk, WAL, synchronous=FULL. PostgreSQL ({postgresOrigin}): {postgresSettings}.");
        Console.WriteLine();
        Console.Write(table);
    }

    private sealed record Configuration(string Store, bool GroupCommit, string SqlitePath, string PostgresConnectionString)
    {
        public string Name => $"{Store} {(GroupCommit ? "group commit" : "one transaction per write")}";

        public void UseStorage(GrainRuntimeBuilder runtime)
        {
            if (Store == "SQLite")
            {
                runtime.UseSqliteStorage(options =>
                {
                    options.Path = SqlitePath;
                    options.MaxBatchSize = GroupCommit ? options.MaxBatchSize : 1;
                });
            }
            else
            {
                runtime.UsePostgresStorage(options =>
                {
                    options.ConnectionString = PostgresConnectionString;
                    options.MaxBatchSize = GroupCommit ? options.MaxBatchSize : 1;
                });
            }
        }
    }

    private sealed record WriteRun(double WritesPerSecond, double WritesPerTransaction);
}
