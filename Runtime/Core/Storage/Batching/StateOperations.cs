namespace NexusOrleans.Runtime.Storage.Batching;

/// <summary>A queued state write: compare-and-swap from <see cref="ExpectedVersion"/> (null: no row may exist).</summary>
internal sealed class StateWriteOperation : StorageOperation<string>
{
    public StateWriteOperation(in GrainStateWrite write)
    {
        GrainId = write.GrainId;
        StateName = write.StateName;
        ExpectedETag = write.ExpectedETag;
        ExpectedVersion = StorageETag.ParseOptional(write.ExpectedETag);
        Fence = write.Fence;

        // The caller may reuse its buffer once WriteAsync has returned a task; the queued write must not see that.
        Payload = write.Payload.ToArray();
    }

    public GrainId GrainId { get; }

    public string StateName { get; }

    public string? ExpectedETag { get; }

    public long? ExpectedVersion { get; }

    public byte[] Payload { get; }

    public OwnerFence Fence { get; }

    public void StageConflict(long? storedVersion) =>
        StageRefusal(new InconsistentStateException(GrainId, StateName, ExpectedETag, StorageETag.Format(storedVersion)));
}

/// <summary>A queued clear: replaces the row with a tombstone if its version is <see cref="ExpectedVersion"/>.</summary>
internal sealed class StateClearOperation(in GrainStateClear clear) : StorageOperation<string?>
{
    public GrainId GrainId { get; } = clear.GrainId;

    public string StateName { get; } = clear.StateName;

    public string? ExpectedETag { get; } = clear.ExpectedETag;

    public long? ExpectedVersion { get; } = StorageETag.ParseOptional(clear.ExpectedETag);

    public OwnerFence Fence { get; } = clear.Fence;

    public void StageConflict(long? storedVersion) =>
        StageRefusal(new InconsistentStateException(GrainId, StateName, ExpectedETag, StorageETag.Format(storedVersion)));
}
