using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Gateway.Hosting;

/// <summary>
/// Builds and runs a gateway process (no grains: it joins a PostgreSQL cluster as a client), and turns the failures an
/// operator can fix into one line on standard error and exit code 3 (invalid configuration), as the silo does.
/// </summary>
public static partial class GatewayProgram
{
    /// <summary>Exit code when a setting is missing or invalid.</summary>
    public const int InvalidConfigurationExitCode = 3;

    /// <summary>The settings file next to the binary.</summary>
    public const string SettingsFile = "gateway.json";

    /// <summary>Builds the gateway from <paramref name="args"/> and runs it until stopped (SIGTERM, Ctrl+C).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            AddSettingsFile(builder);
            builder.AddGatewayProcess();
            var app = builder.Build();
            app.MapGatewayProcess();
            app.Lifetime.ApplicationStarted.Register(() => LogReady(app));
            await app.RunAsync();
            return 0;
        }
        catch (ClusterConfigurationException exception)
        {
            return await FailAsync($"invalid configuration: {exception.Message}");
        }
        catch (OptionsValidationException exception)
        {
            return await FailAsync($"invalid configuration: {string.Join(" ", exception.Failures)}");
        }
        catch (AggregateException exception) when (exception.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            // Several option sections failed their start-up validation at once: name every failure, not only the first.
            var failures = exception.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures);
            return await FailAsync($"invalid configuration: {string.Join(" ", failures)}");
        }
        catch (InvalidOperationException exception) when (exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            return await FailAsync($"invalid configuration: {exception.Message}");
        }
    }

    /// <summary>
    /// Reads gateway.json next to the binary, where appsettings.json would be, with the same precedence: below
    /// environment variables and command-line arguments. (It is not named appsettings.json because the silo references
    /// this project and would get that file in its own output, over its own.)
    /// </summary>
    private static void AddSettingsFile(WebApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        var lastFile = sources.Select((source, index) => (source, index)).Where(entry => entry.source is JsonConfigurationSource).Select(entry => entry.index).DefaultIfEmpty(-1).Max();
        sources.Insert(lastFile + 1, new JsonConfigurationSource
        {
            Path = SettingsFile,
            Optional = true,
            FileProvider = new PhysicalFileProvider(builder.Environment.ContentRootPath),
        });
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"nexus-gateway: {message}");
        return InvalidConfigurationExitCode;
    }

    private static void LogReady(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NexusOrleans.Gateway");
        var client = app.Services.GetRequiredService<Runtime.Cluster.Client.ClusterClient>();
        LogGatewayReady(logger, string.Join(", ", app.Urls), client.Address.ToString());
    }

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information,
        Message = "Gateway ready: listening on {Urls} (health at /health/live and /health/ready); silos call its observers back at {ClientAddress}")]
    private static partial void LogGatewayReady(ILogger logger, string urls, string clientAddress);
}
