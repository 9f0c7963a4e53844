using NexusOrleans.Runtime.Catalog;

namespace NexusOrleans.Runtime.Hosting;

/// <summary>What health checks and operators can ask a running silo.</summary>
public interface ISiloStatus
{
    /// <summary>Where the silo is in its life.</summary>
    SiloPhase Phase { get; }

    /// <summary>Live activations.</summary>
    int ActivationCount { get; }

    /// <summary>The storage backend's short name.</summary>
    string StorageName { get; }

    /// <summary>Where the storage is, without secrets.</summary>
    string StorageLocation { get; }

    /// <summary>Does a round trip to storage; throws <see cref="Storage.StorageUnavailableException"/> when it fails.</summary>
    Task CheckStorageAsync(CancellationToken cancellationToken);
}
