using System.Diagnostics;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>Latencies (Stopwatch ticks) recorded from many threads into one preallocated array; what does not fit is counted, not kept.</summary>
internal sealed class LatencyLog(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private int _next;

    /// <summary>Latencies recorded (at most the capacity).</summary>
    public int Count => Math.Min(Volatile.Read(ref _next), _ticks.Length);

    public void Add(long ticks)
    {
        var slot = Interlocked.Increment(ref _next) - 1;
        if (slot < _ticks.Length)
        {
            _ticks[slot] = ticks;
        }
    }

    /// <summary>The percentiles (0..100) of what was recorded, in milliseconds.</summary>
    public double[] Milliseconds(params double[] percentiles) => Percentiles(_ticks.AsSpan(0, Count).ToArray(), percentiles);

    /// <summary>The percentiles (0..100) of <paramref name="ticks"/>, in milliseconds; the array is sorted in place.</summary>
    public static double[] Percentiles(long[] ticks, double[] percentiles)
    {
        if (ticks.Length == 0)
        {
            return percentiles.Select(_ => double.NaN).ToArray();
        }

        Array.Sort(ticks);
        return percentiles.Select(p => Measurement.Stats.Percentile(ticks, ticks.Length, p) * 1000.0 / Stopwatch.Frequency).ToArray();
    }
}
