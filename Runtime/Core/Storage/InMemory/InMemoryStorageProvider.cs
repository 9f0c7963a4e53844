namespace NexusOrleans.Runtime.Storage.InMemory;

/// <summary>
/// Keeps state and reminders in process memory, with the same semantics as the SQL providers (versions, tombstones,
/// fresh reminder ETags). For unit tests only: nothing survives the process.
/// </summary>
public sealed class InMemoryStorageProvider : IStorageProvider
{
    private readonly ProviderLifecycle _lifecycle = new("memory");

    /// <summary>Creates an empty store.</summary>
    public InMemoryStorageProvider()
    {
        GrainStorage = new InMemoryGrainStorage(_lifecycle);
        Reminders = new InMemoryReminderTable(_lifecycle);
    }

    /// <inheritdoc />
    public string Name => "memory";

    /// <inheritdoc />
    public string Location => "process memory";

    /// <inheritdoc />
    public IGrainStorage GrainStorage { get; }

    /// <inheritdoc />
    public IReminderTable Reminders { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken)
        => _lifecycle.InitializeOnceAsync(static _ => Task.CompletedTask, cancellationToken);

    /// <inheritdoc />
    public Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        _lifecycle.ThrowIfDisposed();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _lifecycle.TryMarkDisposed();
        return ValueTask.CompletedTask;
    }
}
