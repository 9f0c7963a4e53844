using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Gateway.Telemetry;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Silo.Epochs;
using NexusOrleans.Silo.Health;
using NexusOrleans.Silo.Ledger;

namespace NexusOrleans.Silo.Hosting;

/// <summary>
/// Builds and runs the silo, and turns the failures an operator can fix into one line on standard error and an exit
/// code: 2 when storage is unavailable, 3 when the configuration is invalid. Anything else is a bug and keeps its stack trace.
/// </summary>
public static partial class SiloProgram
{
    /// <summary>Exit code when storage cannot be reached or opened.</summary>
    public const int StorageUnavailableExitCode = 2;

    /// <summary>Exit code when a setting is invalid.</summary>
    public const int InvalidConfigurationExitCode = 3;

    /// <summary>Builds the silo from <paramref name="args"/>, opens storage, then runs until stopped (SIGTERM, Ctrl+C).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            // Settings come from appsettings.json next to the binary, whatever the working directory; relative paths
            // in them (such as the SQLite file ./data/nexus.db) are relative to the working directory.
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            builder.AddSilo();
            var app = builder.Build();
            app.MapHealthEndpoints();
            app.MapMetrics();
            app.MapGateway();
            app.MapEpochs();
            app.MapLedger();
            await app.Services.OpenGrainStorageAsync();
            app.Lifetime.ApplicationStarted.Register(() => LogReady(app));
            await app.RunAsync();
            return 0;
        }
        catch (StorageUnavailableException exception)
        {
            return await FailAsync(StorageUnavailableExitCode, exception.Message);
        }
        catch (ClusterConfigurationException exception)
        {
            return await FailAsync(InvalidConfigurationExitCode, $"invalid configuration: {exception.Message}");
        }
        catch (OptionsValidationException exception)
        {
            return await FailAsync(InvalidConfigurationExitCode, $"invalid configuration: {string.Join(" ", exception.Failures)}");
        }
        catch (AggregateException exception) when (exception.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            // Several option sections failed their start-up validation at once: name every failure, not only the first.
            var failures = exception.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures);
            return await FailAsync(InvalidConfigurationExitCode, $"invalid configuration: {string.Join(" ", failures)}");
        }
        catch (InvalidOperationException exception) when (exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            return await FailAsync(InvalidConfigurationExitCode, $"invalid configuration: {exception.Message}");
        }
    }

    private static async Task<int> FailAsync(int exitCode, string message)
    {
        await Console.Error.WriteLineAsync($"nexus-silo: {message}");
        return exitCode;
    }

    private static void LogReady(WebApplication app)
    {
        var status = app.Services.GetRequiredService<ISiloStatus>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NexusOrleans.Silo");
        LogSiloReady(logger, string.Join(", ", app.Urls), status.StorageName, status.StorageLocation);
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Silo ready: listening on {Urls} (health at /health/live and /health/ready); storage {Storage} at {Location}")]
    private static partial void LogSiloReady(ILogger logger, string urls, string storage, string location);
}
