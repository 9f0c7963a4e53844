using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Connections;
using NexusOrleans.Gateway.Fees;
using NexusOrleans.Gateway.RateLimiting;
using NexusOrleans.Gateway.Relay;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Grains.Network;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Gateway.Hosting;

/// <summary>Adds the phone WebSocket endpoint to a web application that can reach the cluster through <c>IGrainFactory</c>.</summary>
public static partial class GatewayHostExtensions
{
    /// <summary>
    /// Registers the gateway's services, configured from the <c>Gateway</c> and <c>Relay</c> sections, including the
    /// background service that registers this relay with the cluster and heartbeats.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddOptions<RelayOperatorOptions>().BindConfiguration(RelayOperatorOptions.SectionName);
        services.AddSingleton(provider => RelayIdentity.Load(provider.GetRequiredService<IOptions<RelayOperatorOptions>>().Value));
        services.AddSingleton<GatewayRateLimiters>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddMetrics();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<RelayMetrics>();
        services.AddSingleton(provider => new NetworkParametersCache(
            provider.GetRequiredService<IGrainFactory>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<GatewayOptions>>().Value.ParametersRefresh));
        services.AddSingleton<MessageFees>();
        services.AddSingleton(provider => new GatewayContext(
            provider.GetRequiredService<IOptions<GatewayOptions>>(),
            provider.GetRequiredService<IGrainFactory>(),
            provider.GetRequiredService<RelayIdentity>(),
            provider.GetRequiredService<GatewayRateLimiters>(),
            provider.GetRequiredService<ConnectionRegistry>(),
            provider.GetRequiredService<MessageFees>(),
            provider.GetRequiredService<GatewayMetrics>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetService<IPartitionDirectory>(),
            provider.GetKeyedService<TimeProvider>(ClusterOptions.ClockKey) ?? provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<RelayRegistrar>();
        services.AddHostedService<SubscriptionWatch>();
        return services;
    }

    /// <summary>
    /// Maps the WebSocket endpoint (<see cref="GatewayOptions.Path"/>, default <c>/v1/ws</c>) and the signed relay list
    /// (<see cref="GatewayOptions.RelayListPath"/>, default <c>/v1/relays</c>). Loads the relay's key now, so a
    /// missing or invalid operator mnemonic stops start-up with a clear message instead of failing the first phone.
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        Sodium.EnsureLoaded();
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var relay = app.Services.GetRequiredService<RelayIdentity>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NexusOrleans.Gateway");
        LogRelayIdentity(logger, relay.Key.ToString(), relay.Wallet, relay.Source);

        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        });
        app.Map(options.Path, AcceptAsync);
        app.MapGet(options.RelayListPath, RelayListEndpoint.HandleAsync);

        // Stopping: every phone is told to reconnect elsewhere before the server waits for connections to end.
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var connections = app.Services.GetRequiredService<ConnectionRegistry>();
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var connection in connections.Snapshot())
            {
                connection.Close(CloseCodes.ReconnectElsewhere, "relay stopping; reconnect elsewhere");
            }
        });
        return app;
    }

    private static async Task AcceptAsync(HttpContext http, GatewayContext gateway, IHostApplicationLifetime lifetime)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("This is an iChat relay's WebSocket endpoint: connect with a WebSocket client (see docs/PROTOCOL.md).\n");
            return;
        }

        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!gateway.Limiters.TryAcquireForAddress(address, out var retryAfter))
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await http.Response.WriteAsync("Too many connection attempts from this address; retry later.\n");
            return;
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("This relay is stopping; connect to another one.\n");
            return;
        }

        var endpoint = gateway.Options.PublicEndpoint is { Length: > 0 } configured
            ? configured
            : $"{(http.Request.IsHttps ? "wss" : "ws")}://{http.Request.Host}{gateway.Options.Path}";
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await new GatewayConnection(socket, gateway, address, endpoint, http.RequestAborted).RunAsync();
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Relay key {RelayKey}, operator wallet {Wallet} (operator mnemonic from {Source})")]
    private static partial void LogRelayIdentity(ILogger logger, string relayKey, string wallet, string source);
}
