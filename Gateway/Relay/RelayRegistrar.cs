// The relay's place in the cluster's directory: registration at start-up, then a heartbeat every interval.
//
// What it guarantees. Once the web server is listening, the relay signs one registration (operator wallet + relay key,
// RelayIdentity.SignRegistration, which wipes the wallet key right after) for the endpoint phones should use, and offers
// it to its operator grain. Accepted, it heartbeats every HeartbeatInterval of the network parameters (and follows that
// interval when governance changes it), so the directory lists it while it runs and drops it within OutageGap once it
// stops; the operator grain records the beats that reward epochs judge.
//
// Failures. Nothing here can stop the relay: phones are served whether or not the relay is listed. A refusal is logged
// at Warning with the cluster's reason. A refusal the operator can fix while the relay runs (stake too low) and an
// unreachable cluster are retried every interval with the same signed registration, until it is older than the cluster
// accepts (Relays:RegistrationSkew, five minutes by default); after that, and for refusals nothing but a new signature
// could fix (bad signature, superseded, key taken, clock skew), it gives up and says to restart the relay, since the wallet
// key that could sign a new registration is gone by design. A heartbeat answered "not registered" (the operator retired
// the node) gets one more registration attempt, which the cluster refuses when the retirement is newer; the relay then
// stays unlisted. Heartbeat failures are logged and the next tick tries again.
//
// Time. The loop runs on a PeriodicTimer over the host's TimeProvider, so tests drive it with a manual clock.
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Runtime;

namespace NexusOrleans.Gateway.Relay;

/// <summary>Registers this relay with the cluster and keeps it listed. See the comment at the top of this file.</summary>
internal sealed partial class RelayRegistrar(
    IGrainFactory grains,
    RelayIdentity relay,
    IOptions<GatewayOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    RelayMetrics metrics,
    ILogger<RelayRegistrar> logger) : BackgroundService
{
    private readonly GatewayOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!_options.RegisterRelay)
            {
                LogRegistrationDisabled(logger);
                return;
            }

            await WaitUntilStartedAsync(stoppingToken);
            if (ResolveEndpoint() is not { } endpoint)
            {
                LogNoEndpoint(logger);
                return;
            }

            var registration = relay.SignRegistration(endpoint, time.GetUtcNow());
            await RunAsync(registration, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // A bug here must not take the phone-serving relay down with it.
            LogRegistrarFailed(logger, exception.GetType().Name, exception.Message);
        }
    }

    private async Task RunAsync(RelayRegistration registration, CancellationToken stoppingToken)
    {
        var relayOperator = grains.GetRelayOperator(relay.Wallet);
        var interval = await HeartbeatIntervalAsync();
        using var timer = new PeriodicTimer(interval, time);
        var registered = false;
        var failures = 0;
        do
        {
            try
            {
                if (!registered)
                {
                    var result = await relayOperator.Register(registration);
                    if (result.Succeeded)
                    {
                        registered = true;
                        metrics.Registered(true);
                        LogRegistered(logger, relay.Key.ToString(), registration.Endpoint, relay.Wallet);
                    }
                    else if (result.Status == RelayRegistrationStatus.InsufficientStake && failures++ == 0)
                    {
                        LogRefusedRetrying(logger, result.Status, result.Reason ?? string.Empty, timer.Period);
                    }
                    else if (result.Status != RelayRegistrationStatus.InsufficientStake)
                    {
                        LogRefused(logger, result.Status, result.Reason ?? string.Empty);
                        return;
                    }

                    continue;
                }

                var beat = await relayOperator.Heartbeat(relay.Key.ToString());
                failures = 0;
                metrics.Heartbeat(succeeded: beat.Status != HeartbeatStatus.NotRegistered);
                if (beat.Status == HeartbeatStatus.NotRegistered)
                {
                    registered = false;
                    metrics.Registered(false);
                    LogNoLongerRegistered(logger);
                    continue;
                }

                if (beat.HeartbeatInterval > TimeSpan.Zero && beat.HeartbeatInterval != timer.Period)
                {
                    timer.Period = beat.HeartbeatInterval;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                if (registered)
                {
                    metrics.Heartbeat(succeeded: false);
                }

                if (failures++ == 0)
                {
                    LogClusterUnavailable(logger, registered ? "heartbeat" : "registration", exception.GetType().Name, exception.Message, timer.Period);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<TimeSpan> HeartbeatIntervalAsync()
    {
        try
        {
            return (await grains.GetNetworkParameters().Get()).HeartbeatInterval;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogClusterUnavailable(logger, "network parameters", exception.GetType().Name, exception.Message, _options.RegistrationRetryInterval);
            return _options.RegistrationRetryInterval;
        }
    }

    private async Task WaitUntilStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    /// <summary>Gateway:PublicEndpoint, or the first address the server listens on unless it is a wildcard phones cannot dial.</summary>
    private string? ResolveEndpoint()
    {
        if (_options.PublicEndpoint is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri)
                && uri.Host is not ("0.0.0.0" or "[::]" or "::" or "+" or "*")
                && uri.Scheme is "http" or "https")
            {
                return $"{(uri.Scheme == "https" ? "wss" : "ws")}://{uri.Authority}{_options.Path}";
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Relay {RelayKey} is registered with the cluster at {Endpoint} for operator {OperatorAddress}; phones can find it in the relay list")]
    private static partial void LogRegistered(ILogger logger, string relayKey, string endpoint, string operatorAddress);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Relay registration refused ({Status}): {Reason} This relay keeps serving phones but is not listed; restart it to sign a new registration.")]
    private static partial void LogRefused(ILogger logger, RelayRegistrationStatus status, string reason);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Relay registration refused ({Status}): {Reason} This relay keeps serving phones but is not listed; it asks again every {Interval} for five minutes (Relays:RegistrationSkew), then a restart is needed.")]
    private static partial void LogRefusedRetrying(ILogger logger, RelayRegistrationStatus status, string reason, TimeSpan interval);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Relay {Operation} failed in the cluster ({ExceptionType}: {Reason}); trying again every {Interval}")]
    private static partial void LogClusterUnavailable(ILogger logger, string operation, string exceptionType, string reason, TimeSpan interval);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "The cluster no longer has this relay registered (its operator may have retired it); registering again")]
    private static partial void LogNoLongerRegistered(ILogger logger);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Warning, Message = "Relay not registered with the cluster: it listens only on a wildcard address phones cannot dial; set Gateway:PublicEndpoint to the ws:// or wss:// URL phones should use")]
    private static partial void LogNoEndpoint(ILogger logger);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Information, Message = "Relay registration is off (Gateway:RegisterRelay is false): this relay serves phones without being listed")]
    private static partial void LogRegistrationDisabled(ILogger logger);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Error, Message = "Relay registration stopped by an unexpected {ExceptionType}: {Reason}; the relay keeps serving phones")]
    private static partial void LogRegistrarFailed(ILogger logger, string exceptionType, string reason);
}
