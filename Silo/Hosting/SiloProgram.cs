using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Silo.Hosting;

/// <summary>
/// Runs the silo and turns the failures an operator can fix into one line on standard error and an exit code:
/// 2 when storage is unavailable, 3 when the configuration is invalid. Anything else is a bug and keeps its stack trace.
/// </summary>
public static partial class SiloProgram
{
    /// <summary>Exit code when storage cannot be reached or opened.</summary>
    public const int StorageUnavailableExitCode = 2;

    /// <summary>Exit code when a setting is invalid.</summary>
    public const int InvalidConfigurationExitCode = 3;

    /// <summary>Opens storage, then runs the application until it is stopped.</summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            await app.Services.OpenGrainStorageAsync();
            app.Lifetime.ApplicationStarted.Register(() => LogReady(app));
            await app.RunAsync();
            return 0;
        }
        catch (StorageUnavailableException exception)
        {
            await Console.Error.WriteLineAsync($"nexus-silo: {exception.Message}");
            return StorageUnavailableExitCode;
        }
        catch (OptionsValidationException exception)
        {
            await Console.Error.WriteLineAsync($"nexus-silo: invalid configuration: {string.Join(" ", exception.Failures)}");
            return InvalidConfigurationExitCode;
        }
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
