namespace NexusOrleans.Runtime;

/// <summary>A grain's persistent state, its stored version, and the operations on it.</summary>
public interface IPersistentState<TState>
{
    /// <summary>The state object. A new instance when nothing is stored.</summary>
    TState State { get; set; }

    /// <summary>The version of the stored row this state was read from or last written as; null when no row exists.</summary>
    string? ETag { get; }

    /// <summary>True when stored state exists (it was written and not cleared).</summary>
    bool RecordExists { get; }

    /// <summary>Replaces <see cref="State"/> with the stored state.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes <see cref="State"/> if the stored version is still <see cref="ETag"/>; completes when durable.</summary>
    /// <exception cref="InconsistentStateException">Another writer changed the stored state; nothing was written.</exception>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Clears the stored state if its version is still <see cref="ETag"/>, and resets <see cref="State"/>.</summary>
    /// <exception cref="InconsistentStateException">Another writer changed the stored state; nothing was cleared.</exception>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
