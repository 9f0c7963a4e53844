namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// Where grain state rows live. Every provider (in-memory, SQLite, PostgreSQL) passes the same contract tests.
/// </summary>
/// <remarks>
/// <para>A row is keyed by (grain type, grain key, state name) and carries a version, exposed as an opaque ETag string.
/// Every write and clear is a compare-and-swap on that version: it succeeds only when the stored version is the one
/// the caller read; otherwise it throws <see cref="InconsistentStateException"/> and changes nothing.</para>
/// <para>Clearing does not delete the row: it leaves a tombstone (no payload) with the next version, so versions of a
/// key only ever grow and a writer holding a version from before the clear can never succeed afterwards (no ABA).</para>
/// <para>A task returned by a write or clear completes only once the change is durable (committed and synced).</para>
/// <para>Rows also carry the grain's <see cref="GrainId.StableHash"/> and the writer's owner epoch (0 on a single silo), so
/// that the cluster can assign rows to partitions and refuse writes from a stale owner without reshaping the tables;
/// the operations take their arguments as records so that the epoch can be added to them the same way.</para>
/// </remarks>
public interface IGrainStorage
{
    /// <summary>The stored row, a tombstone (<see cref="GrainStateRecord.Payload"/> null) when cleared, or null when none was ever written.</summary>
    Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes the payload if the stored version is <see cref="GrainStateWrite.ExpectedETag"/> (null: no row may exist). Returns the new ETag.</summary>
    /// <exception cref="InconsistentStateException">The stored version differs; nothing was written.</exception>
    /// <exception cref="Cluster.StaleOwnerException">The fence's epoch is no longer the partition's; nothing was written.</exception>
    Task<string> WriteAsync(GrainStateWrite write, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the row with a tombstone if the stored version is <see cref="GrainStateClear.ExpectedETag"/>. Returns the
    /// tombstone's ETag, or null when the expected ETag was null and no row exists (nothing to clear).
    /// </summary>
    /// <exception cref="InconsistentStateException">The stored version differs; nothing was changed.</exception>
    /// <exception cref="Cluster.StaleOwnerException">The fence's epoch is no longer the partition's; nothing was changed.</exception>
    Task<string?> ClearAsync(GrainStateClear clear, CancellationToken cancellationToken);
}

/// <summary>A stored state row.</summary>
/// <param name="Payload">The serialized state, or null for a tombstone left by a clear.</param>
/// <param name="ETag">The row's version.</param>
public sealed record GrainStateRecord(byte[]? Payload, string ETag);

/// <summary>A state write: compare-and-swap on <paramref name="ExpectedETag"/>, fenced by <paramref name="Fence"/> in a cluster.</summary>
public readonly record struct GrainStateWrite(
    GrainId GrainId, string StateName, ReadOnlyMemory<byte> Payload, string? ExpectedETag, OwnerFence Fence = default);

/// <summary>A state clear: compare-and-swap on <paramref name="ExpectedETag"/>, fenced by <paramref name="Fence"/> in a cluster.</summary>
public readonly record struct GrainStateClear(GrainId GrainId, string StateName, string? ExpectedETag, OwnerFence Fence = default);
