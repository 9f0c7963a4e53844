using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Hosting;

namespace NexusOrleans.Gateway.Connections;

/// <summary>
/// Every <see cref="GatewayOptions.SubscriptionCheckPeriod"/>, asks each connection whether its inbox moved or its
/// subscription is in doubt (GatewayConnection.Subscription.cs says why and what it guarantees). A lookup is a read
/// of the directory's in-memory view, so a check of every connection costs no call unless something changed. Does
/// nothing when the process has no partition directory (a gateway handed only a grain factory).
/// </summary>
internal sealed class SubscriptionWatch(GatewayContext gateway, ConnectionRegistry connections, IOptions<GatewayOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (gateway.Directory is not { } directory)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SubscriptionCheckPeriod, gateway.ClusterTime);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var connection in connections.Snapshot())
                {
                    connection.CheckSubscription(directory);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
