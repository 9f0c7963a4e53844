using System.Diagnostics;
using NexusOrleans.Benchmarks.Measurement;

namespace NexusOrleans.Benchmarks.Latency;

/// <summary>
/// Open-loop load at a fixed offered rate, free of coordinated omission: call <c>i</c> is due at
/// <c>start + i / rate</c> whatever happened to earlier calls, and its latency runs from that due time to the moment its
/// caller's continuation runs. A call the generator issues late (because the machine was busy) carries the delay.
/// </summary>
/// <remarks>
/// One dedicated generator thread issues the calls: it issues every call that is due, then sleeps for
/// <see cref="Nap"/> with <c>nanosleep</c> (its timer slack lowered to 1 ns with <c>prctl</c>, so it wakes on time) and
/// repeats. It uses a core only while it issues calls, so it does not compete with the thread pool the way a spinning
/// dispatcher on the pool would: a dispatcher that is always runnable keeps a pool thread busy, the pool injects more
/// threads than there are cores, and the OS then time-slices them in slices of milliseconds, which shows up as a
/// latency floor of that size in both the runtime and the baseline. The calls that fall due during a nap are issued
/// together when it ends; their latency counts from their own due times, so the nap is in the figures (≈ 0.02–0.1 ms).
/// </remarks>
public static class OpenLoop
{
    /// <summary>How long the generator sleeps between bursts.</summary>
    public static readonly TimeSpan Nap = TimeSpan.FromMicroseconds(20);

    /// <summary>
    /// Issues calls at <paramref name="rate"/> per second for <paramref name="warmUp"/> (not recorded) and then
    /// <paramref name="measured"/>, and returns the latencies of the measured calls once all of them completed.
    /// </summary>
    public static async Task<LatencyRecording> RunAsync(Func<int, Task<int>> call, double rate, TimeSpan warmUp, TimeSpan measured)
    {
        var schedule = new Schedule(
            Stopwatch.Frequency / rate,
            (int)(rate * warmUp.TotalSeconds),
            (int)(rate * measured.TotalSeconds));
        var completion = new Completion(schedule.Total);
        var pausedBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = GC.CollectionCount(0);
        long maxLag = 0;
        var generator = new Thread(() => maxLag = Generate(call, schedule, completion)) { IsBackground = true, Name = "open-loop generator" };
        var started = Stopwatch.GetTimestamp();
        schedule.Start = started;
        generator.Start();
        await Task.Run(generator.Join);
        try
        {
            await completion.AllDone.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"Calls still outstanding 60 s after the last one was issued at {rate:N0}/s.", exception);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return new LatencyRecording(
            schedule.Latencies,
            schedule.Total / elapsed.TotalSeconds,
            TimeSpan.FromSeconds((double)maxLag / Stopwatch.Frequency),
            (GC.GetTotalPauseDuration() - pausedBefore) / elapsed,
            (GC.CollectionCount(0) - collectionsBefore) / elapsed.TotalSeconds,
            ThreadPool.ThreadCount);
    }

    /// <summary>Issues the whole schedule from the generator thread; returns the most a call was issued after its due time.</summary>
    private static long Generate(Func<int, Task<int>> call, Schedule schedule, Completion completion)
    {
        NanoSleep.LowerTimerSlack();
        long maxLag = 0;
        var next = 0;
        while (next < schedule.Total)
        {
            var now = Stopwatch.GetTimestamp();
            for (var due = schedule.DueAt(next); due <= now; due = schedule.DueAt(next))
            {
                maxLag = Math.Max(maxLag, now - due);
                var pending = call(next);
                _ = next < schedule.WarmUpCalls
                    ? completion.TrackAsync(pending)
                    : completion.RecordAsync(pending, due, schedule.Latencies, next - schedule.WarmUpCalls);
                if (++next >= schedule.Total)
                {
                    break;
                }
            }

            NanoSleep.Sleep(Nap);
        }

        return maxLag;
    }

    private sealed class Schedule(double ticksPerCall, int warmUpCalls, int measuredCalls)
    {
        public long Start { get; set; }

        public int WarmUpCalls { get; } = warmUpCalls;

        public int Total { get; } = warmUpCalls + measuredCalls;

        public long[] Latencies { get; } = new long[measuredCalls];

        public long DueAt(int call) => Start + (long)(call * ticksPerCall);
    }

    private sealed class Completion(int total)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = total;

        public async Task TrackAsync(Task<int> call)
        {
            await call;
            Done();
        }

        public async Task RecordAsync(Task<int> call, long due, long[] latencies, int slot)
        {
            await call;
            latencies[slot] = Stopwatch.GetTimestamp() - due;
            Done();
        }

        public Task AllDone => _done.Task;

        private void Done()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.SetResult();
            }
        }
    }
}

/// <summary>The latencies of one open-loop run, in <see cref="Stopwatch"/> ticks, and what the run achieved.</summary>
public sealed class LatencyRecording(
    long[] latencies, double achievedRate, TimeSpan maxIssueLag, double gcPausedFraction, double collectionsPerSecond, int poolThreads)
{
    private long[]? _sorted;

    /// <summary>Calls completed per second over the whole run, warm-up included.</summary>
    public double AchievedRate { get; } = achievedRate;

    /// <summary>The most any call was issued after its due time (the dispatcher falling behind).</summary>
    public TimeSpan MaxIssueLag { get; } = maxIssueLag;

    /// <summary>The fraction of the run the process spent paused for garbage collection.</summary>
    public double GcPausedFraction { get; } = gcPausedFraction;

    /// <summary>Garbage collections (of any generation) per second of the run.</summary>
    public double CollectionsPerSecond { get; } = collectionsPerSecond;

    /// <summary>Thread-pool threads at the end of the run (more than the cores means the OS time-slices them).</summary>
    public int PoolThreads { get; } = poolThreads;

    /// <summary>Measured calls.</summary>
    public int Count => latencies.Length;

    /// <summary>The latency at <paramref name="percentile"/> (0..100), in microseconds.</summary>
    public double PercentileMicroseconds(double percentile)
    {
        if (_sorted is null)
        {
            _sorted = (long[])latencies.Clone();
            Array.Sort(_sorted);
        }

        return Measurement.Stats.Percentile(_sorted, _sorted.Length, percentile) * 1e6 / Stopwatch.Frequency;
    }
}
