using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Relays;

namespace NexusOrleans.Gateway.Canaries;

/// <summary>Registers the canary prober, which measures every live relay's loss and latency for the reward epochs.</summary>
public static class CanaryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="CanaryOptions"/> (section <c>Canaries</c>, validated at start; the relay quality grains read the
    /// same options) and the hosted prober. Needs the grain runtime in the same process: call it from the silo.
    /// </summary>
    public static IServiceCollection AddCanaries(this IServiceCollection services, Action<CanaryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CanaryOptions>().BindConfiguration(CanaryOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CanaryOptions>, CanaryOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<CanaryMetrics>();
        services.TryAddSingleton<CanaryProber>();
        services.AddHostedService(provider => provider.GetRequiredService<CanaryProber>());
        return services;
    }
}

/// <summary>Checks <see cref="CanaryOptions"/> at start-up.</summary>
internal sealed class CanaryOptionsValidator : IValidateOptions<CanaryOptions>
{
    public ValidateOptionsResult Validate(string? name, CanaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
