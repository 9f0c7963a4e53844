namespace NexusOrleans.Runtime.Storage.InMemory;

/// <summary>
/// State rows in a dictionary under one lock. Payloads are copied in and out, as a database would, so a caller that
/// mutates its buffer afterwards cannot change what is stored.
/// </summary>
internal sealed class InMemoryGrainStorage(ProviderLifecycle lifecycle) : IGrainStorage
{
    private readonly Dictionary<(string Type, string Key, string State), Row> _rows = [];
    private readonly Lock _lock = new();

    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(stateName, "state name", nameof(stateName));
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue(KeyOf(grainId, stateName), out var row)
                ? new GrainStateRecord(row.Payload?.ToArray(), StorageETag.Format(row.Version))
                : null);
        }
    }

    public Task<string> WriteAsync(GrainStateWrite write, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateWrite(write);
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        var payload = write.Payload.ToArray();
        lock (_lock)
        {
            var key = KeyOf(write.GrainId, write.StateName);
            if (!Matches(key, write.ExpectedETag, out var stored))
            {
                return Task.FromException<string>(
                    new InconsistentStateException(write.GrainId, write.StateName, write.ExpectedETag, StorageETag.Format(stored)));
            }

            var version = (stored ?? 0) + 1;
            _rows[key] = new Row(payload, version);
            return Task.FromResult(StorageETag.Format(version));
        }
    }

    public Task<string?> ClearAsync(GrainStateClear clear, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateClear(clear);
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var key = KeyOf(clear.GrainId, clear.StateName);
            if (!Matches(key, clear.ExpectedETag, out var stored))
            {
                return Task.FromException<string?>(
                    new InconsistentStateException(clear.GrainId, clear.StateName, clear.ExpectedETag, StorageETag.Format(stored)));
            }

            if (stored is not { } version)
            {
                return Task.FromResult<string?>(null);
            }

            _rows[key] = new Row(null, version + 1);
            return Task.FromResult<string?>(StorageETag.Format(version + 1));
        }
    }

    private static (string, string, string) KeyOf(GrainId grainId, string stateName) => (grainId.Type.Name, grainId.Key, stateName);

    /// <summary>True when the stored version is the expected one (null expected: no row at all, not even a tombstone).</summary>
    private bool Matches((string, string, string) key, string? expectedETag, out long? stored)
    {
        stored = _rows.TryGetValue(key, out var row) ? row.Version : null;
        return expectedETag is null ? stored is null : stored == StorageETag.Parse(expectedETag);
    }

    private sealed record Row(byte[]? Payload, long Version);
}
