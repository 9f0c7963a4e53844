namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// The partitions this silo holds a lease on, each with its epoch and the local deadline after which the lease might
/// have expired (measured on the silo's monotonic clock from when the renew that extended it was sent), and whether it
/// is being handed off. One lock guards it all; every method is short.
/// </summary>
/// <remarks>
/// A partition is <i>held</i> while the lease is ours and the deadline has not passed: writes may carry its epoch.
/// It is <i>serving</i> while held and not being handed off: new activations may start. Once the deadline passes the
/// partition counts as neither, even before anybody removes it (self-fencing does not wait for a timer).
/// </remarks>
internal sealed class OwnedPartitions(int partitionCount, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly long[] _epoch = new long[partitionCount];
    private readonly long[] _validUntil = new long[partitionCount];
    private readonly bool[] _draining = new bool[partitionCount];

    public long? HeldEpoch(int partition)
    {
        lock (_lock)
        {
            return IsHeld(partition, clock.GetTimestamp()) ? _epoch[partition] : null;
        }
    }

    public bool IsServing(int partition, out long epoch)
    {
        lock (_lock)
        {
            epoch = _epoch[partition];
            return IsHeld(partition, clock.GetTimestamp()) && !_draining[partition];
        }
    }

    /// <summary>Every held lease, handed-off ones included (they are renewed until released).</summary>
    public List<(int Partition, long Epoch)> Held()
    {
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            var held = new List<(int, long)>();
            for (var partition = 0; partition < _epoch.Length; partition++)
            {
                if (IsHeld(partition, now))
                {
                    held.Add((partition, _epoch[partition]));
                }
            }

            return held;
        }
    }

    public bool IsServingAny(IEnumerable<int> partitions) => partitions.Any(partition => IsServing(partition, out _));

    public void Grant(int partition, long epoch, long validUntil)
    {
        lock (_lock)
        {
            _epoch[partition] = epoch;
            _validUntil[partition] = validUntil;
            _draining[partition] = false;
        }
    }

    /// <summary>Extends the deadline of the renewed partitions that are still held at the epoch they were renewed at.</summary>
    public void Renewed(IEnumerable<(int Partition, long Epoch)> renewed, long validUntil)
    {
        lock (_lock)
        {
            foreach (var (partition, epoch) in renewed)
            {
                if (_epoch[partition] == epoch)
                {
                    _validUntil[partition] = Math.Max(_validUntil[partition], validUntil);
                }
            }
        }
    }

    /// <summary>Marks a serving partition as being handed off; false when it was not serving.</summary>
    public bool BeginHandoff(int partition)
    {
        lock (_lock)
        {
            if (!IsHeld(partition, clock.GetTimestamp()) || _draining[partition])
            {
                return false;
            }

            _draining[partition] = true;
            return true;
        }
    }

    /// <summary>
    /// Forgets the partition if it is still at <paramref name="epoch"/> (any epoch when null). Returns true when it was
    /// serving until now, i.e. when the loss is news to the rest of the silo.
    /// </summary>
    public bool Drop(int partition, long? epoch = null)
    {
        lock (_lock)
        {
            if (_epoch[partition] == 0 || (epoch is { } expected && _epoch[partition] != expected))
            {
                return false;
            }

            var wasServing = !_draining[partition];
            _epoch[partition] = 0;
            _validUntil[partition] = 0;
            _draining[partition] = false;
            return wasServing;
        }
    }

    /// <summary>Forgets every partition whose deadline passed; returns those that were serving.</summary>
    public List<int> DropExpired()
    {
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            var dropped = new List<int>();
            for (var partition = 0; partition < _epoch.Length; partition++)
            {
                if (_epoch[partition] != 0 && now >= _validUntil[partition])
                {
                    if (!_draining[partition])
                    {
                        dropped.Add(partition);
                    }

                    _epoch[partition] = 0;
                    _validUntil[partition] = 0;
                    _draining[partition] = false;
                }
            }

            return dropped;
        }
    }

    private bool IsHeld(int partition, long now) => _epoch[partition] != 0 && now < _validUntil[partition];
}
