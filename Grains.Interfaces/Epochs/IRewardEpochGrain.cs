using System.Globalization;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Concurrency;

namespace NexusOrleans.Grains.Epochs;

/// <summary>
/// The reward epoch of one UTC hour, or of the shorter <c>Epochs:Length</c> (key: <see cref="EpochKeys.Format(DateTimeOffset, TimeSpan)"/>,
/// e.g. "2026-11-21T10"). Closing it computes the epoch's batch — one (operator, reward, slash) leaf per operator, sorted, with its Merkle root and a proof per leaf —
/// stores it, and then books every reward and slash in the ledger under entry ids made from the epoch (unless the chain
/// settles them: <c>Epochs:Settlement</c>), so that an epoch is paid once however often, and however interrupted, the close runs.
/// </summary>
public interface IRewardEpochGrain : IGrain
{
    /// <summary>
    /// Closes the epoch, or finishes a close that was interrupted; returns the batch. Idempotent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The epoch, plus the close delay, has not ended yet.</exception>
    Task<EpochBatch> Close();

    /// <summary>The stored batch, or null while the epoch is not closed.</summary>
    [ReadOnly]
    Task<EpochBatch?> GetBatch();

    /// <summary>
    /// For each relay node that had a fault in this epoch, how many epochs running (this one included) it has had one;
    /// empty while the epoch has no batch. The next epoch reads it to recognise repeated faults.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, int>> GetFaultStreaks();
}

/// <summary>Closes each epoch once it has ended (key: "epochs"); driven by a durable reminder.</summary>
public interface IEpochSchedulerGrain : IGrain
{
    /// <summary>Makes sure the reminder runs; the first epoch to close is the one after the epoch this is first called in.</summary>
    Task Start();

    /// <summary>The key of the last epoch closed, or null when none has been.</summary>
    [ReadOnly]
    Task<string?> LastClosed();
}

/// <summary>Where a batch stands: computed and stored (Settling: ledger entries being booked) or fully booked (Closed).</summary>
public enum EpochStatus
{
    Settling,
    Closed,
}

/// <summary>An epoch's batch: the epoch's start (<paramref name="Hour"/>: an hour's, unless epochs are shorter), its Merkle root ("0x" + 64 hex; null when nobody earned or lost anything, so there is nothing to anchor) and the leaves in canonical (operator) order.</summary>
public sealed record EpochBatch(DateTimeOffset Hour, EpochStatus Status, string? Root, IReadOnlyList<EpochBatchLeaf> Leaves);

/// <summary>One operator's line of a batch, with the Merkle proof (hashes, "0x" + 64 hex) a chain claim needs.</summary>
public sealed record EpochBatchLeaf(string Operator, UInt128 Reward, UInt128 Slash, IReadOnlyList<string> Proof);

/// <summary>
/// Grain keys and boundaries of epochs. An epoch lasts one UTC hour unless <c>Epochs:Length</c> makes it shorter (a
/// divisor of an hour, for demonstrations and tests); epochs start on whole multiples of their length since 1970, so they
/// tile every hour exactly. An hour-long epoch's key is its hour, yyyy-MM-ddTHH ("2026-11-21T10"); a shorter one's adds
/// the minute, yyyy-MM-ddTHH:mm ("2026-11-21T10:05"), and the second when its length is not whole minutes.
/// </summary>
public static class EpochKeys
{
    /// <summary>The key of the scheduler grain.</summary>
    public const string Scheduler = "epochs";

    /// <summary>The length of an epoch unless configured otherwise.</summary>
    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>The shortest epoch <see cref="LengthProblem"/> accepts.</summary>
    public static readonly TimeSpan ShortestLength = TimeSpan.FromSeconds(10);

    private const string HourPattern = "yyyy-MM-dd'T'HH";
    private const string MinutePattern = "yyyy-MM-dd'T'HH':'mm";
    private const string SecondPattern = "yyyy-MM-dd'T'HH':'mm':'ss";

    /// <summary>The start of the UTC hour that contains <paramref name="instant"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset instant) => StartOf(instant, Hour);

    /// <summary>The start of the epoch of length <paramref name="length"/> that contains <paramref name="instant"/>.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset instant, TimeSpan length)
    {
        RequireLength(length);
        var sinceUnix = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var start = sinceUnix - (((sinceUnix % length.Ticks) + length.Ticks) % length.Ticks);
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + start, TimeSpan.Zero);
    }

    /// <summary>
    /// Why <paramref name="length"/> cannot be an epoch's length, or null when it can: a whole number of seconds, from
    /// <see cref="ShortestLength"/> to an hour, that divides an hour evenly (10 s, 30 s, 1, 5, 15 or 30 minutes, an hour…).
    /// </summary>
    public static string? LengthProblem(TimeSpan length) =>
        length < ShortestLength || length > Hour || length.Ticks % TimeSpan.TicksPerSecond != 0 || Hour.Ticks % length.Ticks != 0
            ? $"An epoch lasts from {ShortestLength.TotalSeconds:0} seconds to one hour, in whole seconds that divide an hour evenly (e.g. 00:00:30, 00:01:00, 00:05:00, 01:00:00); got {length}."
            : null;

    /// <summary>The key of the hour-long epoch of <paramref name="hour"/> (which must be the start of a UTC hour).</summary>
    public static string Format(DateTimeOffset hour) => Format(hour, Hour);

    /// <summary>The key of the epoch of length <paramref name="length"/> starting at <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="start"/> is not the start of such an epoch, or the length is not an epoch length.</exception>
    public static string Format(DateTimeOffset start, TimeSpan length)
    {
        RequireLength(length);
        if (StartOf(start, length) != start)
        {
            throw new ArgumentException(
                length == Hour ? $"{start:O} is not the start of a UTC hour." : $"{start:O} is not the start of an epoch of {length}.", nameof(start));
        }

        var pattern = length.Ticks % Hour.Ticks == 0 ? HourPattern : length.Ticks % TimeSpan.TicksPerMinute == 0 ? MinutePattern : SecondPattern;
        return start.UtcDateTime.ToString(pattern, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Parses an epoch key ("2026-11-21T10", "2026-11-21T10:05" or "2026-11-21T10:05:30") into its start; false when it
    /// is none of those. Whether the start fits the configured length is the caller's check (<see cref="Format(DateTimeOffset, TimeSpan)"/>).
    /// </summary>
    public static bool TryParse(string? key, out DateTimeOffset start)
    {
        var parsed = DateTime.TryParseExact(
            key, [HourPattern, MinutePattern, SecondPattern], CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value);
        start = parsed ? new DateTimeOffset(value, TimeSpan.Zero) : default;
        return parsed;
    }

    /// <summary>Whether <paramref name="key"/> is the key of an epoch of length <paramref name="length"/>, with its start.</summary>
    public static bool TryParse(string? key, TimeSpan length, out DateTimeOffset start) =>
        TryParse(key, out start) && StartOf(start, length) == start && Format(start, length) == key;

    private static void RequireLength(TimeSpan length)
    {
        if (LengthProblem(length) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, problem);
        }
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
}
