using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Hosting;

/// <summary>Start-up steps a host can run before starting, to report failures on its own terms.</summary>
public static class SiloStartup
{
    /// <summary>
    /// Opens the grain storage (connect, create or upgrade the schema) ahead of starting the host, so that a host can
    /// report an unreachable store in one line and exit. Starting the host opens it otherwise; it is opened only once.
    /// </summary>
    /// <exception cref="StorageUnavailableException">The store cannot be reached or opened.</exception>
    public static Task OpenGrainStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
        => services.GetRequiredService<GrainRuntime>().OpenStorageAsync(cancellationToken);
}
