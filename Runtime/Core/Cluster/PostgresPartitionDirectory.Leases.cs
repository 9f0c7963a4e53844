namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// Taking partitions and giving them away: acquisition of the free or expired leases rendezvous hashing assigns to this
/// silo, and the graceful handoff of those it assigns elsewhere (deactivate the grains first, then release the lease).
/// </summary>
public sealed partial class PostgresPartitionDirectory
{
    private async Task AcquireAsync(IReadOnlyList<LeaseRow> leases, int[] targets, int self, List<int> gained, CancellationToken cancellationToken)
    {
        var wanted = leases.Where(lease => targets[lease.Partition] == self && lease.Takeable && _owned.HeldEpoch(lease.Partition) is null)
            .Select(lease => lease.Partition)
            .ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var sent = _clock.GetTimestamp();
        try
        {
            foreach (var (partition, epoch) in await PartitionLeases.AcquireAsync(_dataSource, SiloId, _options.LeaseDuration, wanted, cancellationToken)
                         .ConfigureAwait(false))
            {
                _owned.Grant(partition, epoch, sent + _leaseTicks);
                gained.Add(partition);
            }
        }
        catch (Exception exception) when (IsDatabaseFailure(exception))
        {
            LogAcquireFailed(_logger, wanted.Count, exception);
            return;
        }

        if (gained.Count > 0)
        {
            LogPartitionsGained(_logger, gained.Count, Describe(gained));
        }
    }

    /// <summary>Deactivates the handed-off partitions' grains, then releases their leases (or lets them expire).</summary>
    private async Task HandoffAsync(List<(int Partition, long Epoch)> leases)
    {
        var partitions = leases.Select(lease => lease.Partition).ToArray();
        try
        {
            if (_drain is { } drain)
            {
                using var timeout = new CancellationTokenSource(_options.HandoffTimeout, _clock);
                try
                {
                    await drain(partitions, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    // Grains still deactivating will have their writes refused once the new owner takes over.
                    LogHandoffFailed(_logger, partitions.Length, "their grains did not deactivate within Cluster:HandoffTimeout", null);
                }
            }

            await _round.WaitAsync(_stopping.Token).ConfigureAwait(false);
            try
            {
                var stillHeld = leases.Where(lease => _owned.HeldEpoch(lease.Partition) == lease.Epoch).ToList();
                await PartitionLeases.ReleaseAsync(_dataSource, SiloId, stillHeld, _stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                // Released or not, stop renewing: an unreleased lease then expires and the new owner takes it.
                foreach (var (partition, epoch) in leases)
                {
                    _owned.Drop(partition, epoch);
                }

                _round.Release();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException || IsDatabaseFailure(exception))
        {
            LogHandoffFailed(_logger, partitions.Length, "the leases could not be released; they expire instead", exception);
        }
    }
}
