using Microsoft.Extensions.Logging;
using Npgsql;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Postgres;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// The partition directory of a process that hosts no grains (a gateway run as its own process): a read-only view of
/// the cluster's membership and leases in PostgreSQL, for a <see cref="Client.ClusterClient"/> to route calls by.
/// </summary>
/// <remarks>
/// <para><b>What it guarantees.</b> It never writes: no membership row, no heartbeat, no lease (its statements are the
/// SELECTs of <see cref="ClusterViewRead"/>), so any number of views can watch a cluster without changing who owns
/// what, and a view that misbehaves cannot fence or evict a silo. <see cref="Lookup"/> answers from the last successful
/// read, built exactly as a silo builds its own view (<see cref="PartitionView"/>): the lease holder while its lease is
/// live, otherwise the member about to take the partition. It is a hint, never a permission: the owner checks every call
/// and redirects a stale one, and the router then calls <see cref="RefreshAsync"/>, which reads at once.
/// <see cref="PartitionOwner.IsLocal"/> is always false, <see cref="LocalEpoch"/> always null and
/// <see cref="Changed"/> never fires, since this process owns nothing.</para>
/// <para><b>Under failures.</b> It reads every HeartbeatPeriod. While the database cannot be reached it keeps the last
/// view (owners rarely change, and a wrong guess costs one redirect) and keeps trying; it logs one warning when an outage
/// starts and one line when reads succeed again, not one per attempt. Its age is <see cref="SinceLastRead"/>, for health
/// checks. A partition count on record different from the configured one stops start-up: routing by the wrong count
/// would send every call to the wrong silo.</para>
/// </remarks>
public sealed partial class PostgresClusterView : IPartitionDirectory, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly Lock _state = new();
    private readonly CancellationTokenSource _stopping = new();
    private PartitionOwner[] _view;
    private IReadOnlyList<ClusterMember> _members = [];
    private Task _loop = Task.CompletedTask;
    private long _readsStarted;
    private long _outageStarted;
    private bool _failing;
    private long? _lastRead;

    internal PostgresClusterView(NpgsqlDataSource dataSource, bool ownsDataSource, ClusterOptions options, TimeProvider clock, ILogger logger)
    {
        var validation = new ClusterOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _options = options;
        _clock = clock;
        _logger = logger;
        _view = PartitionView.Build([], [], [], [], 0, options.PartitionCount);
    }

    /// <summary>A view over the database of <paramref name="connectionString"/>, with its own small connection pool.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or the options are invalid.</exception>
    public static PostgresClusterView Create(string connectionString, ClusterOptions options, TimeProvider clock, ILogger logger)
    {
        new PostgresStorageOptions { ConnectionString = connectionString }.Validate();
        return new PostgresClusterView(PostgresStorageProvider.CreateDataSource(connectionString), ownsDataSource: true, options, clock, logger);
    }

    /// <summary>Never raised: this process owns no partition.</summary>
    public event Action<PartitionChange>? Changed
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public int PartitionCount => _options.PartitionCount;

    /// <summary>The members that are not dead, as the last successful read found them.</summary>
    public IReadOnlyList<ClusterMember> Members => Volatile.Read(ref _members);

    /// <summary>How long ago the last read succeeded (by the view's monotonic clock), or null before the first.</summary>
    public TimeSpan? SinceLastRead
    {
        get
        {
            lock (_state)
            {
                return _lastRead is { } read ? _clock.GetElapsedTime(read) : null;
            }
        }
    }

    /// <summary>How many reads were started, successful or not.</summary>
    internal long ReadAttempts => Interlocked.Read(ref _readsStarted);

    /// <inheritdoc />
    public int PartitionOf(GrainId grainId) => GrainPartitions.Of(grainId, PartitionCount);

    /// <inheritdoc />
    public PartitionOwner Lookup(GrainId grainId) => Volatile.Read(ref _view)[PartitionOf(grainId)];

    /// <summary>Always null: a view owns nothing.</summary>
    public long? LocalEpoch(int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, PartitionCount);
        return null;
    }

    /// <summary>
    /// Reads the cluster now, unless a read that began after this call was made has already finished (callers redirected
    /// together share one read). A failed read keeps the last view; it does not throw.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReadAsync(Interlocked.Read(ref _readsStarted), cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterConfigurationException exception)
        {
            LogPartitionCountMismatch(_logger, exception.Message);
        }
    }

    /// <summary>Takes the first view (a database that cannot be reached is logged and retried), then reads every HeartbeatPeriod.</summary>
    /// <exception cref="ClusterConfigurationException">The database records a different partition count than Cluster:PartitionCount.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(Interlocked.Read(ref _readsStarted), cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(ReadLoopAsync, CancellationToken.None);
    }

    /// <summary>Stops reading; the view keeps answering from its last read.</summary>
    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Stops reading and closes the view's connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.HeartbeatPeriod, _clock, stopping).ConfigureAwait(false);
                await RefreshAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ReadAsync(long seen, CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Interlocked.Read(ref _readsStarted) != seen)
            {
                return;
            }

            Interlocked.Increment(ref _readsStarted);
            using var timeout = new CancellationTokenSource(_options.LeaseDuration, _clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            ClusterViewSnapshot snapshot;
            try
            {
                snapshot = await ClusterViewRead.RunAsync(_dataSource, _options.DeadAfter, linked.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsDatabaseFailure(exception))
            {
                Failed(exception);
                return;
            }

            if (snapshot.PartitionCount is { } recorded && recorded != PartitionCount)
            {
                throw new ClusterConfigurationException(
                    $"The cluster's database has {recorded} partitions, but this process is configured with {PartitionCount} " +
                    $"(Cluster:PartitionCount); configure {recorded}.");
            }

            var live = PartitionView.Live(snapshot.Members);
            var targets = Rendezvous.Assign([.. live.Select(member => member.Address)], PartitionCount);
            Volatile.Write(ref _view, PartitionView.Build(snapshot.Members, snapshot.Leases, live, targets, self: 0, PartitionCount));
            Volatile.Write(ref _members, snapshot.Members);
            Succeeded();
        }
        finally
        {
            _reading.Release();
        }
    }

    private void Failed(Exception exception)
    {
        lock (_state)
        {
            if (_failing)
            {
                return;
            }

            _failing = true;
            _outageStarted = _clock.GetTimestamp();
        }

        LogReadFailed(_logger, SinceLastRead is { } age ? $"{age.TotalMilliseconds:F0} ms ago" : "never", exception);
    }

    private void Succeeded()
    {
        bool recovered;
        lock (_state)
        {
            recovered = _failing;
            _failing = false;
            _lastRead = _clock.GetTimestamp();
        }

        if (recovered)
        {
            LogRestored(_logger, _clock.GetElapsedTime(_outageStarted).TotalMilliseconds, Members.Count(member => member.IsLive));
        }
    }

    private static bool IsDatabaseFailure(Exception exception) =>
        exception is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException;

    [LoggerMessage(EventId = ClusterEventIds.ViewReadFailed, Level = LogLevel.Warning,
        Message = "Cannot read the cluster's members and leases; calls are routed by the last view (last read {LastRead}) and reads are retried every heartbeat")]
    private static partial void LogReadFailed(ILogger logger, string lastRead, Exception exception);

    [LoggerMessage(EventId = ClusterEventIds.ViewRestored, Level = LogLevel.Information,
        Message = "Reading the cluster again after {OutageMs:F0} ms; {LiveMembers} live members")]
    private static partial void LogRestored(ILogger logger, double outageMs, int liveMembers);

    [LoggerMessage(EventId = ClusterEventIds.ViewPartitionCountMismatch, Level = LogLevel.Error,
        Message = "The cluster view is not updated: {Reason}")]
    private static partial void LogPartitionCountMismatch(ILogger logger, string reason);
}
