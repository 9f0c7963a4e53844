using Microsoft.Extensions.Diagnostics.HealthChecks;
using NexusOrleans.Runtime.Hosting;

namespace NexusOrleans.Silo.Health;

/// <summary>Ready while a round trip to storage succeeds. The description names the store, never a secret.</summary>
internal sealed class StorageHealthCheck(ISiloStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await status.CheckStorageAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{status.StorageName} at {status.StorageLocation}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{status.StorageName} at {status.StorageLocation}: {exception.Message}");
        }
    }
}
