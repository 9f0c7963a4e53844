using Microsoft.Extensions.Options;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>Settings of silo-to-silo calls (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Cluster";

    /// <summary>The address other members connect to, and the one this process listens on when it is an IP address
    /// (a host name listens on every interface).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port of the silo-to-silo endpoint.</summary>
    public int Port { get; set; } = 11111;

    /// <summary>Tells this incarnation from earlier ones on the same host and port; 0 takes the start time in ms since 1970.</summary>
    public long Generation { get; set; }

    /// <summary>A remote call not answered within this time fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Opening a connection to a peer may take this long before its calls fail with <see cref="SiloUnavailableException"/>.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many redirects one call follows (refreshing the directory each time) before it fails as unavailable.</summary>
    public int MaxRedirects { get; set; } = 3;

    /// <summary>The largest frame accepted or sent, in bytes; a larger one closes the connection (or fails the call).</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024 * 1024;
}

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add("Cluster:Host must name the address other members connect to.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Cluster:Port must be 1 to 65535 (got {options.Port}).");
        }

        if (options.Generation < 0)
        {
            failures.Add($"Cluster:Generation must be 0 (start time) or positive (got {options.Generation}).");
        }

        if (options.CallTimeout <= TimeSpan.Zero || options.CallTimeout.TotalMilliseconds > uint.MaxValue)
        {
            failures.Add($"Cluster:CallTimeout must be positive and below 49 days (got {options.CallTimeout}).");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Cluster:ConnectTimeout must be positive (got {options.ConnectTimeout}).");
        }

        if (options.MaxRedirects is < 0 or > 16)
        {
            failures.Add($"Cluster:MaxRedirects must be 0 to 16 (got {options.MaxRedirects}).");
        }

        if (options.MaxFrameBytes < 64 * 1024)
        {
            failures.Add($"Cluster:MaxFrameBytes must be at least 65536 (got {options.MaxFrameBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
