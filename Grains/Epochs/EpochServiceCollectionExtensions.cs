using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Epochs;

/// <summary>Registers reward epochs.</summary>
public static class EpochServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="EpochOptions"/> (section <c>Epochs</c>, validated at start), the cluster's <see cref="IEpochInputs"/>
    /// (unless one is registered already) and a hosted service that starts the epoch scheduler once the silo runs.
    /// </summary>
    public static IServiceCollection AddEpochs(this IServiceCollection services, Action<EpochOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EpochOptions>().BindConfiguration(EpochOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EpochOptions>, EpochOptionsValidator>());
        services.TryAddSingleton<IEpochInputs>(provider => new ClusterEpochInputs(
            provider.GetRequiredService<IGrainFactory>(),
            provider.GetService<Relays.Stake.IOperatorStake>() ?? new Relays.Stake.LedgerOperatorStake()));
        services.AddHostedService<EpochSchedulerStarter>();
        services.AddMetrics();
        services.TryAddSingleton<EpochMetrics>();
        return services;
    }
}

/// <summary>Starts the scheduler's reminder when the silo starts (registered after the runtime, so it starts after it).</summary>
internal sealed class EpochSchedulerStarter(IGrainFactory grains, TimeProvider time, ILogger<EpochSchedulerStarter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Hosting.StartupCall.RunAsync(
        () => grains.GetGrain<IEpochSchedulerGrain>(EpochKeys.Scheduler).Start(), "start the epoch scheduler", time, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
