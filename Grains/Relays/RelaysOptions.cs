using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Relays;

/// <summary>
/// How the cluster handles relay registrations (configuration section <c>Relays</c>). Not to be confused with the
/// gateway's <c>Relay</c> section, which holds this node's own operator key.
/// </summary>
public sealed class RelaysOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Relays";

    /// <summary>
    /// How far a registration's issued-at may be from the cluster's clock, either way. It bounds how long a captured
    /// registration can be replayed, and how wrong an operator's clock may be.
    /// </summary>
    public TimeSpan RegistrationSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long relay grains reuse the network parameters they read: a governance change reaches them within this.</summary>
    public TimeSpan ParametersRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a heartbeat re-reads the operator's stake from the ledger (an unstaked operator leaves the list within this).</summary>
    public TimeSpan StakeRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most registered nodes one operator may have at once.</summary>
    public int MaxNodesPerOperator { get; set; } = 64;
}

/// <summary>Checks <see cref="RelaysOptions"/> at start-up.</summary>
public sealed class RelaysOptionsValidator : IValidateOptions<RelaysOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RelaysOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RegistrationSkew < TimeSpan.FromSeconds(1) || options.RegistrationSkew > TimeSpan.FromHours(1))
        {
            failures.Add($"Relays:RegistrationSkew must be from 00:00:01 to 01:00:00 (got {options.RegistrationSkew}).");
        }

        if (options.ParametersRefresh <= TimeSpan.Zero)
        {
            failures.Add($"Relays:ParametersRefresh must be positive (got {options.ParametersRefresh}).");
        }

        if (options.StakeRefresh <= TimeSpan.Zero)
        {
            failures.Add($"Relays:StakeRefresh must be positive (got {options.StakeRefresh}).");
        }

        if (options.MaxNodesPerOperator < 1)
        {
            failures.Add($"Relays:MaxNodesPerOperator must be at least 1 (got {options.MaxNodesPerOperator}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
