using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NexusOrleans.Gateway.Connections;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Relay;

/// <summary>
/// <c>GET /v1/relays</c>: the directory's live relays, signed by this relay's key (docs/PROTOCOL.md, "Relay list").
/// Limited per IP address like connection attempts, since each answer costs a signature.
/// </summary>
internal static partial class RelayListEndpoint
{
    public static async Task HandleAsync(HttpContext http, GatewayContext gateway)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!gateway.Limiters.TryAcquireForAddress(address, out var retryAfter))
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await http.Response.WriteAsync("Too many requests from this address; retry later.\n");
            return;
        }

        IReadOnlyList<RelayDirectoryEntry> live;
        try
        {
            live = await gateway.Grains.GetRelayDirectory().List();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogDirectoryUnavailable(gateway.Logger, exception.GetType().Name, exception.Message);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("The relay directory cannot be reached right now; retry shortly.\n");
            return;
        }

        var latencies = await RelayLatencies.Of(gateway).GetAsync(live.Select(entry => entry.RelayKey).ToArray());
        var listed = live.Select(entry => ToListed(entry, latencies.GetValueOrDefault(entry.RelayKey))).ToArray();
        var list = RelayListSignature.Sign(gateway.Relay.Keys, gateway.Time.GetUtcNow().ToUnixTimeMilliseconds(), listed);
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        await JsonSerializer.SerializeAsync(http.Response.Body, list, RelayListJson.Default.SignedRelayList, http.RequestAborted);
    }

    /// <summary>A directory entry as the list shows it, with its measured latency (<see cref="RelayLatencies"/>); the directory lists only live relays.</summary>
    internal static ListedRelay ToListed(RelayDirectoryEntry entry, int? latencyMs) => new(
        entry.RelayKey,
        entry.Endpoint,
        Eip55.ToChecksumAddress(entry.Operator),
        entry.Stake.ToString(CultureInfo.InvariantCulture),
        ListedRelayStatus.Live,
        latencyMs);

    [LoggerMessage(EventId = 4018, Level = LogLevel.Warning, Message = "Relay list unavailable: the directory could not be reached ({ExceptionType}: {Reason})")]
    private static partial void LogDirectoryUnavailable(ILogger logger, string exceptionType, string reason);
}
