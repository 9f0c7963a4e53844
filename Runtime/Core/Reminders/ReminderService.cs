using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Timers;

namespace NexusOrleans.Runtime.Reminders;

/// <summary>
/// Fires durable reminders: loads every stored reminder at start, keeps them in one priority queue ordered by next due
/// time, and arms a single timer for the earliest. When a reminder is due it calls <see cref="IRemindable.ReceiveReminder"/>
/// on its grain (activating the grain if needed) and, once the call succeeded, records the tick as delivered.
/// </summary>
/// <remarks>
/// <para><b>At least once.</b> The stored row remembers the due time of the last delivered tick. At start, a reminder
/// whose latest due time has passed without a recorded delivery fires at once (ticks missed while the silo was down
/// collapse into that one). A crash between delivery and the record means the tick is delivered again, so handlers
/// must be idempotent. A handler that throws is not retried before the next due time; the next tick carries the
/// current due time, so an idempotent handler catches up.</para>
/// <para><b>Ordering.</b> The next tick of a reminder is scheduled only after the previous one completed, so ticks of
/// one reminder never overlap. It is the due time right after the tick's own; when the tick took so long that this has
/// passed, the latest due time passed is delivered at once instead, so the due times it overran collapse into one tick
/// rather than being lost.</para>
/// <para>One silo owns every reminder here; the cluster will give each silo the reminders of its partitions.</para>
/// </remarks>
internal sealed partial class ReminderService
{
    private readonly IReminderTable _table;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _timeProvider;
    private readonly ReminderOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId GrainId, string Name), Scheduled> _scheduled = [];
    private readonly PriorityQueue<Scheduled, DateTimeOffset> _queue = new();
    private ITimer? _timer;
    private bool _stopped;

    public ReminderService(IReminderTable table, IGrainFactory grains, TimeProvider timeProvider, ReminderOptions options, ILogger logger)
    {
        _table = table;
        _grains = grains;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
    }

    /// <summary>Number of reminders this silo is firing.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _scheduled.Count;
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var entries = await _table.ReadAllAsync(cancellationToken);
        var now = _timeProvider.GetUtcNow();
        var overdue = 0;
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                var due = ReminderSchedule.FirstDueOnLoad(entry, now);
                overdue += due <= now ? 1 : 0;
                Schedule(entry, due);
            }

            _timer = _timeProvider.CreateTimer(static state => ((ReminderService)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Arm();
        }

        LogLoaded(_logger, entries.Count, overdue);
    }

    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _timer?.Dispose();
        }
    }

    public async Task<IGrainReminder> RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period)
    {
        ReminderSchedule.ValidateName(name);
        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A reminder's due time must be zero or positive.");
        }

        period = ReminderSchedule.WholeMilliseconds(period);
        if (period < _options.MinimumPeriod)
        {
            throw new ArgumentOutOfRangeException(
                nameof(period), period, $"A reminder's period must be at least {_options.MinimumPeriod} (Reminders:MinimumPeriod); use a grain timer for shorter periods.");
        }

        var startAt = ReminderSchedule.WholeMilliseconds(_timeProvider.GetUtcNow() + dueTime);
        var entry = new ReminderEntry(grainId, name, startAt, period, LastTickDue: null, ETag: null);
        var eTag = await _table.UpsertAsync(entry, CancellationToken.None);
        lock (_lock)
        {
            if (!_stopped)
            {
                Schedule(entry with { ETag = eTag }, startAt);
                Arm();
            }
        }

        return new GrainReminder(name, startAt, period);
    }

    public async Task UnregisterAsync(GrainId grainId, string name)
    {
        ReminderSchedule.ValidateName(name);
        await _table.RemoveAsync(grainId, name, CancellationToken.None);
        lock (_lock)
        {
            if (_scheduled.Remove((grainId, name), out var scheduled))
            {
                scheduled.Cancelled = true;
            }
        }
    }

    public async Task<IGrainReminder?> GetAsync(GrainId grainId, string name)
    {
        ReminderSchedule.ValidateName(name);
        var entry = await _table.ReadAsync(grainId, name, CancellationToken.None);
        return entry is null ? null : new GrainReminder(entry.Name, entry.StartAt, entry.Period);
    }

    public async Task<IReadOnlyList<IGrainReminder>> GetAllAsync(GrainId grainId)
    {
        var entries = await _table.ReadAsync(grainId, CancellationToken.None);
        return [.. entries.Select(entry => new GrainReminder(entry.Name, entry.StartAt, entry.Period))];
    }

    private void Schedule(ReminderEntry entry, DateTimeOffset due)
    {
        var key = (entry.GrainId, entry.Name);
        if (_scheduled.TryGetValue(key, out var previous))
        {
            previous.Cancelled = true;
        }

        var scheduled = new Scheduled(entry, due);
        _scheduled[key] = scheduled;
        _queue.Enqueue(scheduled, due);
    }

    private void Arm()
    {
        while (_queue.TryPeek(out var head, out _) && head.Cancelled)
        {
            _queue.Dequeue();
        }

        if (_queue.TryPeek(out _, out var due))
        {
            _timer?.FireAt(_timeProvider, due);
        }
        else
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        List<Scheduled>? due = null;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var now = _timeProvider.GetUtcNow();
            while (_queue.TryPeek(out var head, out var at) && at <= now)
            {
                _queue.Dequeue();
                if (!head.Cancelled)
                {
                    (due ??= []).Add(head);
                }
            }

            Arm();
        }

        foreach (var scheduled in due ?? [])
        {
            _ = FireAsync(scheduled);
        }
    }

    private async Task FireAsync(Scheduled scheduled)
    {
        var entry = scheduled.Entry;
        var due = scheduled.NextDue;
        var delivered = false;
        try
        {
            await _grains.GetGrain<IRemindable>(entry.GrainId)
                .ReceiveReminder(entry.Name, new TickStatus(entry.StartAt, entry.Period, due));
            delivered = true;
            await _table.RecordTickAsync(entry.GrainId, entry.Name, entry.ETag!, due, CancellationToken.None);
        }
        catch (Exception exception) when (IsStopping(exception))
        {
            // The silo is shutting down: the tick was not recorded, so it is delivered again after the restart.
            LogTickInterrupted(_logger, entry.GrainId, entry.Name);
        }
        catch (Exception exception)
        {
            LogTickFailed(_logger, entry.GrainId, entry.Name, delivered ? "recording" : "delivering", exception);
        }

        lock (_lock)
        {
            if (_stopped || scheduled.Cancelled)
            {
                return;
            }

            var now = _timeProvider.GetUtcNow();
            scheduled.NextDue = ReminderSchedule.NextDueAfterTick(entry, due, now);
            _queue.Enqueue(scheduled, scheduled.NextDue);
            Arm();
        }
    }

    private bool IsStopping(Exception exception)
    {
        lock (_lock)
        {
            return _stopped && exception is SiloUnavailableException or ObjectDisposedException;
        }
    }

    private sealed class Scheduled(ReminderEntry entry, DateTimeOffset nextDue)
    {
        public ReminderEntry Entry { get; } = entry;

        public DateTimeOffset NextDue { get; set; } = nextDue;

        public bool Cancelled { get; set; }
    }

    private sealed record GrainReminder(string ReminderName, DateTimeOffset FirstTickTime, TimeSpan Period) : IGrainReminder;

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Loaded {Count} reminders ({Overdue} overdue, firing now)")]
    private static partial void LogLoaded(ILogger logger, int count, int overdue);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Debug, Message = "Reminder {Name} of {GrainId} was interrupted by shutdown; it fires again after the restart")]
    private static partial void LogTickInterrupted(ILogger logger, GrainId grainId, string name);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Reminder {Name} of {GrainId} failed while {Stage} its tick; the next tick comes at its due time")]
    private static partial void LogTickFailed(ILogger logger, GrainId grainId, string name, string stage, Exception exception);
}
