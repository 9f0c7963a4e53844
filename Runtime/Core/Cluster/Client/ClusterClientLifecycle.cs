using Microsoft.Extensions.Hosting;

namespace NexusOrleans.Runtime.Cluster.Client;

/// <summary>Starts the client's endpoint with the host and closes its connections when the host stops.</summary>
internal sealed class ClusterClientLifecycle(ClusterClient client) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        client.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await client.DisposeAsync();
}
