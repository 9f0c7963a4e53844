using System.Collections.Concurrent;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Grains.Tests.Support;

/// <summary>
/// Faults a test switches on for the state writes of chosen grains: failing (the write throws, as a store that went away
/// would, and stores nothing; optionally only after a given number of writes succeeded) or held (the write waits until
/// the test releases it). Reads and reminders are left alone. One instance outlives the silos of a test, so a fault stays
/// on across a restart until the test heals it.
/// </summary>
public sealed class StorageFaults
{
    private readonly Lock _lock = new();
    private readonly Dictionary<GrainId, int> _failing = [];
    private readonly ConcurrentDictionary<GrainId, WriteGate> _held = new();

    /// <summary>
    /// The next <paramref name="writesFirst"/> state writes of <paramref name="grainId"/> succeed, and every later one
    /// fails, until <see cref="Heal"/>.
    /// </summary>
    public void FailWrites(GrainId grainId, int writesFirst = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(writesFirst);
        lock (_lock)
        {
            _failing[grainId] = writesFirst;
        }
    }

    /// <summary>Ends every failure (held writes stay held until their gate is released).</summary>
    public void Heal()
    {
        lock (_lock)
        {
            _failing.Clear();
        }
    }

    /// <summary>Every later state write of <paramref name="grainId"/> waits at the returned gate until it is released.</summary>
    public WriteGate HoldWrites(GrainId grainId) => _held[grainId] = new WriteGate();

    internal async Task BeforeWriteAsync(GrainId grainId)
    {
        if (_held.TryGetValue(grainId, out var gate))
        {
            await gate.PassAsync();
        }

        lock (_lock)
        {
            if (!_failing.TryGetValue(grainId, out var writesLeft))
            {
                return;
            }

            if (writesLeft > 0)
            {
                _failing[grainId] = writesLeft - 1;
                return;
            }
        }

        throw new StorageUnavailableException("faulty", "test", $"the test made the writes of {grainId} fail");
    }
}

/// <summary>Holds writes until released; says how many are waiting.</summary>
public sealed class WriteGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    /// <summary>Writes waiting at the gate now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Lets every waiting and later write through.</summary>
    public void Release() => _open.TrySetResult();

    internal async Task PassAsync()
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _open.Task;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}

/// <summary>A storage provider whose state writes obey <see cref="StorageFaults"/>; everything else goes to the inner provider.</summary>
public sealed class FaultyStorageProvider(IStorageProvider inner, StorageFaults faults) : IStorageProvider
{
    public string Name => inner.Name;

    public string Location => inner.Location;

    public IGrainStorage GrainStorage { get; } = new FaultyGrainStorage(inner.GrainStorage, faults);

    public IReminderTable Reminders => inner.Reminders;

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
    {
        public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
            => inner.ReadAsync(grainId, stateName, cancellationToken);

        public async Task<string> WriteAsync(GrainStateWrite write, CancellationToken cancellationToken)
        {
            await faults.BeforeWriteAsync(write.GrainId);
            return await inner.WriteAsync(write, cancellationToken);
        }

        public async Task<string?> ClearAsync(GrainStateClear clear, CancellationToken cancellationToken)
        {
            await faults.BeforeWriteAsync(clear.GrainId);
            return await inner.ClearAsync(clear, cancellationToken);
        }
    }
}
