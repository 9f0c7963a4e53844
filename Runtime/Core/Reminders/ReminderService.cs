using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Cluster;
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
/// <para><b>Partitions.</b> A silo fires the reminders of the partitions it holds (<see cref="IPartitionDirectory"/>): at
/// start those it holds then, later the reminders of every partition it gains, read by partition and armed as at start.
/// When it loses partitions their reminders stop here at once; the new owner loads them, and a tick delivered but not
/// yet recorded is delivered there again (at least once). Every change to a reminder row carries the owner fence of the
/// grain's partition, taken at the moment of the write.</para>
/// </remarks>
internal sealed partial class ReminderService
{
    /// <summary>How long to wait before reading the reminders of gained partitions again after a failed read.</summary>
    private static readonly TimeSpan LoadRetryPeriod = TimeSpan.FromSeconds(1);

    private readonly IReminderTable _table;
    private readonly IGrainFactory _grains;
    private readonly IPartitionDirectory _partitions;
    private readonly TimeProvider _timeProvider;
    private readonly ReminderOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId GrainId, string Name), Scheduled> _scheduled = [];
    private readonly PriorityQueue<Scheduled, DateTimeOffset> _queue = new();
    private ITimer? _timer;
    private bool _stopped;

    public ReminderService(
        IReminderTable table, IGrainFactory grains, IPartitionDirectory partitions, TimeProvider timeProvider, ReminderOptions options, ILogger logger)
    {
        _table = table;
        _grains = grains;
        _partitions = partitions;
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
        // Subscribe first, so that no partition gained or lost while the first load runs goes unnoticed.
        _partitions.Changed += OnPartitionsChanged;
        var held = Enumerable.Range(0, _partitions.PartitionCount).Where(Holds).ToArray();
        var entries = held.Length == _partitions.PartitionCount
            ? await _table.ReadAllAsync(cancellationToken)
            : await _table.ReadPartitionsAsync(held, _partitions.PartitionCount, cancellationToken);
        int overdue;
        lock (_lock)
        {
            overdue = ScheduleLoaded(entries);
            _timer = _timeProvider.CreateTimer(static state => ((ReminderService)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Arm();
        }

        LogLoaded(_logger, entries.Count, overdue);
    }

    public void Stop()
    {
        _partitions.Changed -= OnPartitionsChanged;
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
        var eTag = await WriteFencedAsync(grainId, fence => _table.UpsertAsync(entry, fence, CancellationToken.None));
        lock (_lock)
        {
            if (!_stopped && Holds(_partitions.PartitionOf(grainId)))
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
        await WriteFencedAsync(grainId, fence => _table.RemoveAsync(grainId, name, fence, CancellationToken.None));
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

    /// <summary>Runs a change of <paramref name="grainId"/>'s reminder rows with the partition's fence taken now.</summary>
    private async Task<T> WriteFencedAsync<T>(GrainId grainId, Func<Storage.OwnerFence, Task<T>> write)
    {
        var fence = OwnerFences.For(_partitions, grainId);
        try
        {
            return await write(fence);
        }
        catch (StaleOwnerException)
        {
            OwnerFences.StepDown(_partitions);
            throw;
        }
    }

    private bool Holds(int partition) => _partitions.LocalEpoch(partition) is not null;

    /// <summary>Schedules the loaded entries of partitions still held; returns how many are overdue. Under the lock.</summary>
    private int ScheduleLoaded(IReadOnlyList<ReminderEntry> entries)
    {
        var now = _timeProvider.GetUtcNow();
        var overdue = 0;
        foreach (var entry in entries)
        {
            if (Holds(_partitions.PartitionOf(entry.GrainId)))
            {
                var due = ReminderSchedule.FirstDueOnLoad(entry, now);
                overdue += due <= now ? 1 : 0;
                Schedule(entry, due);
            }
        }

        return overdue;
    }

    private void OnPartitionsChanged(PartitionChange change)
    {
        if (change.Lost.Count > 0)
        {
            var lost = change.Lost.ToHashSet();
            var stopped = 0;
            lock (_lock)
            {
                foreach (var (key, scheduled) in _scheduled.Where(pair => lost.Contains(_partitions.PartitionOf(pair.Key.GrainId))).ToList())
                {
                    scheduled.Cancelled = true;
                    _scheduled.Remove(key);
                    stopped++;
                }

                Arm();
            }

            LogPartitionRemindersStopped(_logger, stopped, change.Lost.Count);
        }

        if (change.Gained.Count > 0)
        {
            _ = LoadGainedAsync(change.Gained);
        }
    }

    /// <summary>
    /// Loads and arms the reminders of gained partitions. A failed read is tried again every <see cref="LoadRetryPeriod"/>
    /// for the partitions still held, so a passing database outage does not leave their reminders silent.
    /// </summary>
    private async Task LoadGainedAsync(IReadOnlyCollection<int> partitions)
    {
        while (true)
        {
            try
            {
                var entries = await _table.ReadPartitionsAsync(partitions, _partitions.PartitionCount, CancellationToken.None);
                int overdue;
                lock (_lock)
                {
                    if (_stopped)
                    {
                        return;
                    }

                    overdue = ScheduleLoaded(entries);
                    Arm();
                }

                LogPartitionRemindersLoaded(_logger, entries.Count, partitions.Count, overdue);
                return;
            }
            catch (Exception exception)
            {
                LogPartitionRemindersLoadFailed(_logger, partitions.Count, exception);
            }

            await Task.Delay(LoadRetryPeriod, _timeProvider);
            partitions = [.. partitions.Where(Holds)];
            if (partitions.Count == 0 || IsStopped())
            {
                return;
            }
        }
    }

    private bool IsStopped()
    {
        lock (_lock)
        {
            return _stopped;
        }
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
            await WriteFencedAsync(entry.GrainId, fence => _table.RecordTickAsync(entry.GrainId, entry.Name, entry.ETag!, due, fence, CancellationToken.None));
        }
        catch (Exception exception) when (exception is StaleOwnerException or NotPartitionOwnerException)
        {
            // The partition moved: its new owner fires this reminder from now on (and repeats this tick if it was delivered).
            LogTickHandedOver(_logger, entry.GrainId, entry.Name);
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

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information,
        Message = "Loaded {Count} reminders of {Partitions} partitions gained ({Overdue} overdue, firing now)")]
    private static partial void LogPartitionRemindersLoaded(ILogger logger, int count, int partitions, int overdue);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information,
        Message = "Stopped firing {Count} reminders of {Partitions} partitions this silo lost; their new owner fires them")]
    private static partial void LogPartitionRemindersStopped(ILogger logger, int count, int partitions);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning,
        Message = "Could not load the reminders of {Partitions} partitions gained; trying again shortly")]
    private static partial void LogPartitionRemindersLoadFailed(ILogger logger, int partitions, Exception exception);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Debug,
        Message = "Reminder {Name} of {GrainId} was not recorded here: its partition moved to another silo, which fires it from now on")]
    private static partial void LogTickHandedOver(ILogger logger, GrainId grainId, string name);

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
