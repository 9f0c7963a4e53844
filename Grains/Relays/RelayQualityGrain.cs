// One relay's canary record: what the cluster sent through it, what reached the probe, and in time or not.
//
// What it guarantees. Every canary counts in the UTC hour it was sent. It is delivered when the probe received it
// within Canaries:Timeout of being sent, and lost when that deadline passed without such a delivery; latency is the
// probe's receive time minus the send time, both read from the cluster's TimeProvider by the prober. GetHour judges on
// read, from the stored times and this grain's clock only, so nothing has to run at the deadline (no timer, no
// reminder) and the answer is the same whichever silo asks, as often as it asks.
//
// Why delivery and timeout cannot race. Both are decisions of this one grain, made in its turns, one at a time, from
// times on the cluster's clock; there is no second actor that "times a canary out". A verdict is final once due: a
// delivery recorded when this grain's clock is already past the canary's deadline is kept as late, that is lost, even
// when the time the probe states is earlier (the call was slow to get here), because a GetHour in between may already
// have answered "lost", and an epoch may have paid on that answer. So a canary's fate depends only on (sent, delivered,
// recorded-at) times, never on which thread ran first: a delivery that reaches the grain before a read but after the
// deadline in cluster time is lost, and so is one that never arrives. Under a manual clock in tests every step is
// therefore deterministic, which is why no test here needs to sleep or retry (Session disabled its equivalent tests
// for racing its storage timers).
//
// Durability and bounds. Each recorded send and delivery is written before the call returns (SQL or memory storage); a
// failed write drops the activation so the next call starts from what is stored. Only canaries sent in the current and
// the previous UTC hour are kept (older ones are dropped on the next write and never answered), and at most
// MaxCanariesPerHour per hour, so the row stays small whatever a caller does. An epoch closes two minutes after its
// hour and the timeout is at most two minutes, so every canary of an hour is judged when its epoch reads it.
//
// Calls. This grain calls nobody.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Relays;

/// <summary>The canary record of one relay. See the comment at the top of this file for its guarantees.</summary>
[GrainType("relay-quality")]
public sealed partial class RelayQualityGrain(IOptions<CanaryOptions> options, ILogger<RelayQualityGrain> logger)
    : Grain<RelayQualityState>, IRelayQualityGrain
{
    /// <summary>
    /// Most canaries kept per relay and hour: one a second (the shortest Canaries:Interval) from each of several silos
    /// fits many times over; anything beyond is a caller's bug, ignored rather than allowed to grow the row.
    /// </summary>
    public const int MaxCanariesPerHour = 4 * 3600;

    /// <summary>Longest canary id accepted.</summary>
    public const int MaxIdLength = 128;

    private readonly CanaryOptions _options = options.Value;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!PublicKey.TryParse(Key, out var key) || key.ToString() != Key)
        {
            throw new ArgumentException($"A relay quality grain's key is a relay key, 64 lowercase hex characters (got {Key.Length} characters).", nameof(Key));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task CanarySent(string canaryId, DateTimeOffset sentAt)
    {
        RequireId(canaryId);
        var now = TimeProvider.GetUtcNow();
        var hour = ServiceHours.HourOf(sentAt);
        if (hour < KeptFrom(now) || State.Canaries.Any(canary => canary.Id == canaryId))
        {
            return;
        }

        if (State.Canaries.Count(canary => ServiceHours.HourOf(canary.SentAt) == hour) >= MaxCanariesPerHour)
        {
            LogHourFull(logger, MaxCanariesPerHour);
            return;
        }

        Prune(now);
        State.Canaries.Add(new CanaryRecord { Id = canaryId, SentAt = sentAt });
        await PersistAsync();
    }

    /// <inheritdoc />
    public async Task<bool> CanaryDelivered(string canaryId, DateTimeOffset deliveredAt)
    {
        RequireId(canaryId);
        var canary = State.Canaries.Find(record => record.Id == canaryId);
        if (canary is null || canary.DeliveredAt is not null)
        {
            return false;
        }

        var now = TimeProvider.GetUtcNow();
        var deadline = canary.SentAt + _options.Timeout;
        canary.DeliveredAt = deliveredAt < canary.SentAt ? canary.SentAt : deliveredAt;

        // Final once due: see "Why delivery and timeout cannot race" at the top of this file.
        canary.Late = canary.DeliveredAt > deadline || now > deadline;
        Prune(now);
        await PersistAsync();
        return !canary.Late;
    }

    /// <inheritdoc />
    public Task<CanaryPeriod> GetPeriod(DateTimeOffset start, TimeSpan length)
    {
        if (length < TimeSpan.FromSeconds(1) || length > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"A canary period lasts from a second to an hour (got {length}).", nameof(length));
        }

        var end = start + length;
        var now = TimeProvider.GetUtcNow();
        if (start < KeptFrom(now))
        {
            return Task.FromResult(new CanaryPeriod(start, length, 0, 0, 0, null, now));
        }

        int sent = 0, lost = 0;
        var latencies = new List<TimeSpan>();
        foreach (var canary in State.Canaries)
        {
            if (canary.SentAt < start || canary.SentAt >= end)
            {
                continue;
            }

            sent++;
            if (canary.DeliveredAt is { } delivered && !canary.Late)
            {
                latencies.Add(delivered - canary.SentAt);
            }
            else if (canary.Late || now > canary.SentAt + _options.Timeout)
            {
                lost++;
            }
        }

        latencies.Sort();
        TimeSpan? median = latencies.Count == 0 ? null : latencies[(latencies.Count - 1) / 2];
        return Task.FromResult(new CanaryPeriod(start, length, sent, latencies.Count, lost, median, now));
    }

    private static DateTimeOffset KeptFrom(DateTimeOffset now) => ServiceHours.HourOf(now).AddHours(-1);

    private void Prune(DateTimeOffset now)
    {
        var keptFrom = KeptFrom(now);
        State.Canaries.RemoveAll(canary => canary.SentAt < keptFrom);
    }

    private static void RequireId(string? canaryId)
    {
        if (string.IsNullOrEmpty(canaryId) || canaryId.Length > MaxIdLength)
        {
            throw new ArgumentException($"A canary id is 1 to {MaxIdLength} characters (got {canaryId?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}).", nameof(canaryId));
        }
    }

    private async Task PersistAsync()
    {
        try
        {
            await WriteStateAsync();
        }
        catch (Exception exception)
        {
            // The memory copy may now be ahead of storage: start the next call from what is stored.
            LogWriteFailed(logger, exception.GetType().Name);
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(EventId = 3701, Level = LogLevel.Warning, Message = "Relay quality: {Max} canaries recorded in one hour already; further ones in that hour are ignored")]
    private static partial void LogHourFull(ILogger logger, int max);

    [LoggerMessage(EventId = 3702, Level = LogLevel.Warning, Message = "Relay quality failed to persist a canary ({ExceptionType}); the activation is dropped and the next call reloads the stored state")]
    private static partial void LogWriteFailed(ILogger logger, string exceptionType);
}

/// <summary>What a relay quality grain stores (one JSON row): the canaries of the current and previous UTC hour.</summary>
public sealed class RelayQualityState
{
    /// <summary>Canaries in the order they were sent.</summary>
    public List<CanaryRecord> Canaries { get; set; } = [];
}

/// <summary>One canary sent through the relay.</summary>
public sealed class CanaryRecord
{
    /// <summary>The prober's id for it: the hex of the random bytes sealed inside (not the envelope's message id, which relays see).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>When it was sent, on the cluster's clock.</summary>
    public DateTimeOffset SentAt { get; set; }

    /// <summary>When the probe received it, on the cluster's clock; null while not delivered.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>The delivery came after the deadline (by its time or by when it was recorded): it counts as lost.</summary>
    public bool Late { get; set; }
}
