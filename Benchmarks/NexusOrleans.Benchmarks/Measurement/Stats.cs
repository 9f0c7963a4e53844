namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>Order statistics over repeated runs. Figures quote medians, never a single run.</summary>
public static class Stats
{
    /// <summary>The median; for an even count, the mean of the two middle values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(value => value).ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The nearest-rank percentile of an ascending array (<paramref name="percentile"/> in 0..100).</summary>
    public static long Percentile(long[] ascending, int count, double percentile)
    {
        if (count == 0)
        {
            throw new ArgumentException("The percentile of no values is undefined.", nameof(count));
        }

        var rank = (int)Math.Ceiling(percentile / 100 * count);
        return ascending[Math.Clamp(rank - 1, 0, count - 1)];
    }
}
