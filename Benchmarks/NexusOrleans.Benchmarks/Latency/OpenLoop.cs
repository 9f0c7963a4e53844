using System.Diagnostics;

namespace NexusOrleans.Benchmarks.Latency;

/// <summary>
/// Open-loop load at a fixed offered rate, free of coordinated omission: call <c>i</c> is due at
/// <c>start + i / rate</c> whatever happened to earlier calls, and its latency runs from that due time to the moment its
/// caller's continuation runs. A call the dispatcher issues late (because the machine was busy) carries the delay.
/// </summary>
/// <remarks>
/// <see cref="Dispatchers"/> dispatcher tasks on the thread pool share the schedule (dispatcher <c>d</c> issues calls
/// <c>d, d + D, d + 2D, …</c>). Each issues every call that is due, then yields to the pool's queue, so it takes turns
/// with the work it created instead of holding a core: a dedicated spinning thread would take one of the two cores of
/// the machine this runs on, and one thread alone cannot issue millions of calls a second. While the pool is busy a
/// dispatcher comes round less often and issues the calls that fell due meanwhile in a burst; their latency counts
/// from the due time, so that delay is in the figures, not hidden.
/// </remarks>
public static class OpenLoop
{
    /// <summary>Dispatcher tasks sharing the schedule.</summary>
    public const int Dispatchers = 4;

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
        var started = Stopwatch.GetTimestamp();
        schedule.Start = started;
        var lags = await Task.WhenAll(Enumerable.Range(0, Dispatchers).Select(dispatcher => Task.Run(() => DispatchAsync(call, schedule, completion, dispatcher))));
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
            TimeSpan.FromSeconds((double)lags.Max() / Stopwatch.Frequency),
            (GC.GetTotalPauseDuration() - pausedBefore) / elapsed,
            (GC.CollectionCount(0) - collectionsBefore) / elapsed.TotalSeconds,
            ThreadPool.ThreadCount);
    }

    /// <summary>Issues this dispatcher's share of the schedule; returns the most a call was issued after its due time.</summary>
    private static async Task<long> DispatchAsync(Func<int, Task<int>> call, Schedule schedule, Completion completion, int dispatcher)
    {
        long maxLag = 0;
        var next = dispatcher;
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
                next += Dispatchers;
                if (next >= schedule.Total)
                {
                    break;
                }
            }

            await Task.Yield();
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
