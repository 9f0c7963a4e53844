using System.Globalization;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Epochs;

/// <summary>
/// The reward epoch of one UTC hour (key: <see cref="EpochKeys.Format"/>, e.g. "2026-11-21T10"). Closing it computes the
/// hour's batch — one (operator, reward, slash) leaf per operator, sorted, with its Merkle root and a proof per leaf —
/// stores it, and then books every reward and slash in the ledger under entry ids made from the epoch, so that an hour
/// is paid once however often, and however interrupted, the close runs.
/// </summary>
public interface IRewardEpochGrain : IGrain
{
    /// <summary>
    /// Closes the epoch, or finishes a close that was interrupted; returns the batch. Idempotent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The hour, plus the close delay, has not ended yet.</exception>
    Task<EpochBatch> Close();

    /// <summary>The stored batch, or null while the epoch is not closed.</summary>
    [ReadOnly]
    Task<EpochBatch?> GetBatch();

    /// <summary>
    /// For each relay node that had a fault in this hour, how many hours running (this one included) it has had one;
    /// empty while the epoch has no batch. The next hour's epoch reads it to recognise repeated faults.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, int>> GetFaultStreaks();
}

/// <summary>Closes each hour's epoch once it has ended (key: "epochs"); driven by a durable reminder.</summary>
public interface IEpochSchedulerGrain : IGrain
{
    /// <summary>Makes sure the reminder runs; the first hour to close is the one after the hour this is first called in.</summary>
    Task Start();

    /// <summary>The last hour closed, or null when none has been.</summary>
    [ReadOnly]
    Task<DateTimeOffset?> LastClosed();
}

/// <summary>Where a batch stands: computed and stored (Settling: ledger entries being booked) or fully booked (Closed).</summary>
public enum EpochStatus
{
    Settling,
    Closed,
}

/// <summary>An epoch's batch: the hour, its Merkle root ("0x" + 64 hex; null when nobody earned or lost anything, so there is nothing to anchor) and the leaves in canonical (operator) order.</summary>
public sealed record EpochBatch(DateTimeOffset Hour, EpochStatus Status, string? Root, IReadOnlyList<EpochBatchLeaf> Leaves);

/// <summary>One operator's line of a batch, with the Merkle proof (hashes, "0x" + 64 hex) a chain claim needs.</summary>
public sealed record EpochBatchLeaf(string Operator, UInt128 Reward, UInt128 Slash, IReadOnlyList<string> Proof);

/// <summary>Grain keys of epochs.</summary>
public static class EpochKeys
{
    /// <summary>The key of the scheduler grain.</summary>
    public const string Scheduler = "epochs";

    private const string Pattern = "yyyy-MM-dd'T'HH";

    /// <summary>The start of the UTC hour that contains <paramref name="instant"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The key of the epoch of <paramref name="hour"/> (which must be the start of a UTC hour).</summary>
    public static string Format(DateTimeOffset hour)
    {
        var utc = hour.ToUniversalTime();
        if (utc.Minute != 0 || utc.Second != 0 || utc.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"{hour:O} is not the start of a UTC hour.", nameof(hour));
        }

        return utc.ToString(Pattern, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The epoch number used on chain (<c>RewardDistributor.anchor</c>, <c>claim</c>, <c>RelayStaking.slash</c>): the Unix
    /// time in seconds of the epoch's start, e.g. 2026-11-21T10 → 1795255200. Whoever anchors and whoever claims use this
    /// one rule, so an epoch key names the same on-chain epoch everywhere.
    /// </summary>
    public static ulong ChainEpoch(DateTimeOffset start)
    {
        var seconds = start.ToUnixTimeSeconds();
        if (seconds < 0 || start.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"An epoch starts on a whole second after 1970-01-01 (got {start:O}).", nameof(start));
        }

        return (ulong)seconds;
    }

    /// <summary>Parses an epoch key ("2026-11-21T10") into the start of its hour; false when it is not one.</summary>
    public static bool TryParse(string? key, out DateTimeOffset hour)
    {
        var parsed = DateTime.TryParseExact(key, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value);
        hour = parsed ? new DateTimeOffset(value, TimeSpan.Zero) : default;
        return parsed;
    }
}
