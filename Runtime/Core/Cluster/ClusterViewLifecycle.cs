using Microsoft.Extensions.Hosting;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>Takes the view's first read when the host starts and stops its reads when the host stops.</summary>
internal sealed class ClusterViewLifecycle(PostgresClusterView view) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => view.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => view.StopAsync();
}
