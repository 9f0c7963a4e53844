using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Hosting;

namespace NexusOrleans.Testing;

/// <summary>A silo in the test process, on a manual clock, with its logs collected.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private bool _stopped;

    private TestSilo(IHost host, ManualTimeProvider clock, LogCollector logs)
    {
        Host = host;
        Clock = clock;
        Logs = logs;
    }

    /// <summary>The host.</summary>
    public IHost Host { get; }

    /// <summary>The silo's clock.</summary>
    public ManualTimeProvider Clock { get; }

    /// <summary>Everything the silo logged.</summary>
    public LogCollector Logs { get; }

    /// <summary>For calling grains.</summary>
    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's status.</summary>
    public ISiloStatus Status => Host.Services.GetRequiredService<ISiloStatus>();

    /// <summary>Builds and starts a silo; <paramref name="configure"/> picks grains and storage.</summary>
    public static async Task<TestSilo> StartAsync(
        Action<GrainRuntimeBuilder> configure,
        ManualTimeProvider? clock = null,
        Action<IServiceCollection>? services = null)
    {
        clock ??= new ManualTimeProvider();
        var logs = new LogCollector();
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddGrainRuntime(configure);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, clock, logs);
    }

    /// <summary>Stops the silo gracefully.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Host.StopAsync();
        }
    }

    /// <summary>
    /// Stops the silo as if its shutdown deadline had already passed: calls still running are abandoned and its
    /// connections close, as when the process dies mid-call.
    /// </summary>
    public async Task AbortAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Host.StopAsync(new CancellationToken(canceled: true));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Host.Dispose();
    }
}
