using Microsoft.Extensions.Logging;
using Npgsql;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// The partition directory of a silo in a cluster: membership, partition leases and fencing, all in PostgreSQL.
/// </summary>
/// <remarks>
/// <para><b>What it guarantees.</b> At any moment at most one silo can successfully write a partition's grain state and
/// reminders: the one whose epoch is the partition's current epoch in <c>nexus_partition_leases</c>. That holds under
/// every failure the design considers — a silo that crashes, is paused (GC, VM freeze, debugger) for any length of
/// time, loses its database connection, or has a clock that is off by any amount — because the database checks it on
/// every write, not the silo. What the silo itself guarantees is weaker and only about liveness: it stops activating
/// grains and firing reminders of a partition once its lease might have expired, and partitions of a crashed silo
/// are taken over within about LeaseDuration plus one heartbeat.</para>
/// <para><b>How.</b> Each silo is a row in <c>nexus_silos</c> and heartbeats every HeartbeatPeriod, in one transaction
/// that also declares dead every member silent for DeadAfter, renews all of this silo's leases (one statement) and reads
/// the members and leases back. All liveness and expiry is judged by the database's <c>now()</c>, so the silos' clocks
/// never have to agree. Partitions are assigned to the live members by rendezvous hashing (<see cref="Rendezvous"/>):
/// every silo computes the same assignment from the same list, load is even, and a join or leave moves only the
/// partitions it must. A silo acquires a partition assigned to it only when the lease is free, released or expired, and
/// the acquiring UPDATE raises the epoch — the fencing token. A silo holding a partition that is now assigned to another
/// live silo hands it off: it stops activating its grains, raises <see cref="Changed"/> with it in Lost, waits for those
/// grains to deactivate (their last writes still carry the valid epoch), then releases the lease so the new owner takes
/// it on its next heartbeat instead of waiting for expiry. A graceful stop releases everything and marks the silo dead.</para>
/// <para><b>Self-fencing.</b> A renew that succeeded extends the lease to the database's now() plus LeaseDuration; the
/// silo counts the same LeaseDuration on its own monotonic clock from the moment it SENT that renew, which is no later
/// than the database's now(), so its local deadline never outlives the real lease (clock rates assumed comparable over
/// seconds). Past it, <see cref="LocalEpoch"/> returns null and a timer raises Lost, whether or not the database can be
/// reached. This is a courtesy to callers, not the safety net: the safety net is the fence in every write statement,
/// which locks the lease row FOR KEY SHARE and refuses an epoch that is no longer current, so even a silo that wakes from a
/// long pause with stale beliefs cannot overwrite its successor's data.</para>
/// <para><b>Why this way.</b> PostgreSQL is already the one component every silo must trust for durability, and it is a
/// linearizable single-leader store: leases plus fencing tokens in it give single ownership without inventing a
/// consensus protocol among silos, which would need its own failure detector, quorum and persistence and would still
/// have to be reconciled with the database that holds the data. The price is that the cluster is no more available than
/// its database: while PostgreSQL is unreachable no partition can change owner and every silo self-fences after
/// LeaseDuration.</para>
/// <para><b>Coming back from the dead.</b> A silo whose heartbeat is refused (silent past DeadAfter: paused, cut off, or
/// the database was down for everyone) drops every partition it still believes it holds, then rejoins as the same
/// member with status joining (silo_rejoin.sql) and takes partitions again by rendezvous hashing like a newcomer. Owning
/// nothing when it rejoins is what keeps this safe: each partition it gets back comes with a larger epoch, so nothing from
/// before the gap can be written. A silo that is leaving never rejoins.</para>
/// </remarks>
public sealed partial class PostgresPartitionDirectory : IPartitionDirectory, IClusterLifecycle, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly OwnedPartitions _owned;
    private readonly long _leaseTicks;
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly Lock _raising = new();
    private readonly CancellationTokenSource _stopping = new();
    private PartitionOwner[] _view;
    private IReadOnlyList<ClusterMember> _members = [];
    private Func<IReadOnlyCollection<int>, CancellationToken, Task>? _drain;
    private Task _loop = Task.CompletedTask;
    private ITimer? _watchdog;
    private long _siloId;
    private volatile bool _leaving;
    private volatile bool _gone;
    private volatile bool _rejoining;

    internal PostgresPartitionDirectory(NpgsqlDataSource dataSource, ClusterOptions options, SiloAddress self, TimeProvider clock, ILogger logger)
    {
        var validation = new ClusterOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _dataSource = dataSource;
        _options = options;
        _clock = clock;
        _logger = logger;
        _owned = new OwnedPartitions(options.PartitionCount, clock);
        _leaseTicks = (long)(options.LeaseDuration.TotalSeconds * clock.TimestampFrequency);
        Self = self;
        _view = [.. Enumerable.Range(0, options.PartitionCount).Select(partition => new PartitionOwner(partition, null, 0, false))];
    }

    /// <inheritdoc />
    public event Action<PartitionChange>? Changed;

    /// <summary>This incarnation's address.</summary>
    public SiloAddress Self { get; }

    /// <summary>This incarnation's number in <c>nexus_silos</c>; 0 before it joined.</summary>
    public long SiloId => Interlocked.Read(ref _siloId);

    /// <summary>The members that are not dead, as the last heartbeat round read them.</summary>
    public IReadOnlyList<ClusterMember> Members => Volatile.Read(ref _members);

    /// <inheritdoc />
    public int PartitionCount => _options.PartitionCount;

    Func<IReadOnlyCollection<int>, CancellationToken, Task>? IClusterLifecycle.Drain
    {
        get => _drain;
        set => _drain = value;
    }

    /// <summary>The partitions this silo serves now (held and not being handed off), in order.</summary>
    public IReadOnlyList<int> ServingPartitions() =>
        [.. Enumerable.Range(0, PartitionCount).Where(partition => _owned.IsServing(partition, out _))];

    /// <inheritdoc />
    public int PartitionOf(GrainId grainId) => GrainPartitions.Of(grainId, PartitionCount);

    /// <inheritdoc />
    public PartitionOwner Lookup(GrainId grainId)
    {
        var partition = PartitionOf(grainId);
        return _owned.IsServing(partition, out var epoch)
            ? new PartitionOwner(partition, Self, epoch, IsLocal: true)
            : Volatile.Read(ref _view)[partition];
    }

    /// <inheritdoc />
    public long? LocalEpoch(int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, PartitionCount);
        return _owned.HeldEpoch(partition);
    }

    /// <inheritdoc />
    public Task RefreshAsync(CancellationToken cancellationToken) => RoundAsync(cancellationToken);

    /// <summary>
    /// Checks the partition count against the database's, joins as a new member, runs the first heartbeat round (taking
    /// the free partitions assigned to it) and starts heartbeating.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">The database's partition count differs from this silo's.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        await ClusterMembership.BootstrapAsync(_dataSource, PartitionCount, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _siloId, await ClusterMembership.JoinAsync(_dataSource, Self, cancellationToken).ConfigureAwait(false));
        LogJoined(_logger, Self, SiloId, PartitionCount);
        await RoundAsync(cancellationToken).ConfigureAwait(false);

        var check = _options.HeartbeatPeriod / 2;
        _watchdog = _clock.CreateTimer(static state => ((PostgresPartitionDirectory)state!).SelfFence(), this, check, check);
        _loop = Task.Run(HeartbeatLoopAsync, CancellationToken.None);
    }

    /// <summary>Marks the silo leaving: others stop assigning partitions to it; it keeps renewing what it holds.</summary>
    public async Task BeginLeavingAsync(CancellationToken cancellationToken)
    {
        _leaving = true;
        if (SiloId == 0 || _gone)
        {
            return;
        }

        try
        {
            await ClusterMembership.SetStatusAsync(_dataSource, SiloId, "leaving", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            LogLeaveFailed(_logger, Self, exception);
        }
    }

    /// <summary>
    /// Graceful stop, after the silo's grains deactivated: stops heartbeating, releases every lease and marks the silo
    /// dead, so others take its partitions on their next heartbeat. If the database cannot be reached the leases simply
    /// expire.
    /// </summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        _leaving = true;
        await StopLoopAsync().ConfigureAwait(false);
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        var lost = new List<int>();
        try
        {
            if (_gone || SiloId == 0)
            {
                return;
            }

            var held = _owned.Held();
            try
            {
                await PartitionLeases.ReleaseAsync(_dataSource, SiloId, held, cancellationToken).ConfigureAwait(false);
                await ClusterMembership.SetStatusAsync(_dataSource, SiloId, "dead", cancellationToken).ConfigureAwait(false);
                LogLeft(_logger, Self, held.Count);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogLeaveFailed(_logger, Self, exception);
            }

            _gone = true;
            lost.AddRange(held.Where(lease => _owned.Drop(lease.Partition)).Select(lease => lease.Partition));
        }
        finally
        {
            Raise([], lost);
            _round.Release();
        }
    }

    /// <summary>
    /// Stops heartbeating and self-fencing without leaving, as a process frozen by the OS or a debugger would; the
    /// silo's beliefs stay as they were. Tests use it to show that the database refuses such a silo's writes.
    /// </summary>
    internal void PauseHeartbeats()
    {
        _stopping.Cancel();
        _watchdog?.Dispose();
    }

    /// <summary>Stops the loop and the timer; does not leave (see <see cref="LeaveAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await StopLoopAsync().ConfigureAwait(false);

    private async Task StopLoopAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }

        _watchdog?.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task HeartbeatLoopAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.HeartbeatPeriod, _clock, stopping).ConfigureAwait(false);
                await RoundAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void SelfFence()
    {
        var lost = _owned.DropExpired();
        if (lost.Count > 0)
        {
            LogSelfFenced(_logger, lost.Count, Describe(lost));
            Raise([], lost);
        }
    }

    /// <summary>
    /// Brings this silo back as a member after its heartbeat was refused. Safe because it holds no lease by then: whatever
    /// it takes afterwards comes with a new epoch. Without this, a PostgreSQL outage longer than DeadAfter would leave
    /// every silo refused and the cluster serving nothing until each process is restarted by hand.
    /// </summary>
    private async Task<bool> TryRejoinAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await ClusterMembership.RejoinAsync(_dataSource, SiloId, cancellationToken).ConfigureAwait(false))
            {
                _gone = true;
                _rejoining = false;
                return false;
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsDatabaseFailure(exception))
        {
            LogHeartbeatFailed(_logger, 0, _options.LeaseDuration.TotalMilliseconds, exception);
            return false;
        }

        _rejoining = false;
        LogRejoined(_logger, Self);
        return true;
    }

    /// <summary>One heartbeat round and what follows from it: renewals, losses, acquisitions, handoffs. Rounds never overlap.</summary>
    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        var gained = new List<int>();
        var lost = new List<int>();
        List<(int Partition, long Epoch)>? handoff = null;
        try
        {
            if (_gone || (_rejoining && !await TryRejoinAsync(cancellationToken).ConfigureAwait(false)))
            {
                return;
            }

            // Never renew what was already given up locally: the rest of the silo has been told it is lost. A lease that
            // ran out since the last round (the database unreachable, this process paused) is self-fenced here rather
            // than by the timer, and operators see the same line either way.
            var expired = _owned.DropExpired();
            if (expired.Count > 0)
            {
                LogSelfFenced(_logger, expired.Count, Describe(expired));
                lost.AddRange(expired);
            }

            var held = _owned.Held();
            using var timeout = new CancellationTokenSource(_options.LeaseDuration, _clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var sent = _clock.GetTimestamp();
            HeartbeatResult result;
            try
            {
                result = await HeartbeatRound.RunAsync(_dataSource, SiloId, _options, held, linked.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsDatabaseFailure(exception))
            {
                LogHeartbeatFailed(_logger, held.Count, _options.LeaseDuration.TotalMilliseconds, exception);
                return;
            }

            if (result.Status is null)
            {
                // Dead to the others: give up everything at once, then come back owning nothing (see TryRejoinAsync).
                _rejoining = !_leaving;
                _gone = _leaving;
                LogSelfDeclaredDead(_logger, Self);
                lost.AddRange(held.Where(lease => _owned.Drop(lease.Partition)).Select(lease => lease.Partition));
                return;
            }

            if (result.DeclaredDead is { } declared)
            {
                LogMembersDeclaredDead(_logger, declared);
            }

            var renewed = result.Renewed.ToHashSet();
            lost.AddRange(held.Where(lease => !renewed.Contains(lease.Partition) && _owned.Drop(lease.Partition, lease.Epoch))
                .Select(lease => lease.Partition));
            _owned.Renewed(held.Where(lease => renewed.Contains(lease.Partition)), sent + _leaseTicks);

            Volatile.Write(ref _members, result.Members);
            var live = PartitionView.Live(result.Members);
            var targets = Rendezvous.Assign([.. live.Select(member => member.Address)], PartitionCount);
            var self = live.FindIndex(member => member.SiloId == SiloId);
            UpdateView(result, live, targets);
            if (_leaving || self < 0)
            {
                return;
            }

            await AcquireAsync(result.Leases, targets, self, gained, linked.Token).ConfigureAwait(false);
            handoff = [.. held.Where(lease => renewed.Contains(lease.Partition) && targets[lease.Partition] >= 0
                                              && targets[lease.Partition] != self && _owned.BeginHandoff(lease.Partition))];
            if (handoff.Count > 0)
            {
                lost.AddRange(handoff.Select(lease => lease.Partition));
                LogHandoffStarted(_logger, handoff.Count, Describe(handoff.Select(lease => lease.Partition)));
            }
        }
        finally
        {
            Raise(gained, lost);
            _round.Release();
        }

        if (handoff is { Count: > 0 })
        {
            _ = HandoffAsync(handoff);
        }
    }

    private void UpdateView(HeartbeatResult result, List<ClusterMember> live, int[] targets) =>
        Volatile.Write(ref _view, PartitionView.Build(result.Members, result.Leases, live, targets, SiloId, PartitionCount));

    private void Raise(List<int> gained, List<int> lost)
    {
        if (gained.Count == 0 && lost.Count == 0)
        {
            return;
        }

        if (lost.Count > 0)
        {
            LogPartitionsLost(_logger, lost.Count, Describe(lost));
        }

        lock (_raising)
        {
            try
            {
                Changed?.Invoke(new PartitionChange(gained.ToArray(), lost.ToArray()));
            }
            catch (Exception exception)
            {
                LogChangeHandlerFailed(_logger, exception);
            }
        }
    }

    private static bool IsDatabaseFailure(Exception exception) =>
        exception is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException;

    private static string Describe(IEnumerable<int> partitions)
    {
        var list = partitions.Order().ToList();
        return list.Count <= 16 ? string.Join(", ", list) : string.Join(", ", list.Take(16)) + $" … ({list.Count - 16} more)";
    }
}
