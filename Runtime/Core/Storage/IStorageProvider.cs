namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// One storage backend: grain state and reminders, with its start-up and health checks. The silo initializes it before
/// it serves any call and disposes it last, after every activation is gone.
/// </summary>
public interface IStorageProvider : IAsyncDisposable
{
    /// <summary>Short name for logs and errors: <c>memory</c>, <c>sqlite</c> or <c>postgres</c>.</summary>
    string Name { get; }

    /// <summary>Where the data is, for logs and errors, without any secret (no password).</summary>
    string Location { get; }

    /// <summary>State rows.</summary>
    IGrainStorage GrainStorage { get; }

    /// <summary>Reminder rows.</summary>
    IReminderTable Reminders { get; }

    /// <summary>
    /// Connects, and creates or upgrades the schema. Safe to run from several silos at once; once it succeeded, further
    /// calls return at once, and after a failure the next call tries again.
    /// </summary>
    /// <exception cref="StorageUnavailableException">The store cannot be reached or opened.</exception>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Does a trivial round trip to the store.</summary>
    /// <exception cref="StorageUnavailableException">The store cannot be reached.</exception>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A storage backend cannot be reached or opened. The message names the store and where it is, never a secret.
/// </summary>
public sealed class StorageUnavailableException(string storeName, string location, string reason, Exception? innerException = null)
    : Exception($"Storage '{storeName}' at {location} is unavailable: {reason}", innerException)
{
    /// <summary>The store's short name.</summary>
    public string StoreName { get; } = storeName;

    /// <summary>Where the store is, without secrets.</summary>
    public string Location { get; } = location;
}
