using Microsoft.Extensions.Options;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// Settings of a silo in a cluster (configuration section <c>Cluster</c>): membership and partition leases in
/// PostgreSQL, and the silo-to-silo endpoint calls are forwarded over.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Cluster";

    /// <summary>
    /// Key of an optional keyed <see cref="TimeProvider"/> for the heartbeat loop and lease deadlines. Leases are judged by
    /// the database's clock, which runs at real speed, so the silo's monotonic clock for them must too; tests that drive
    /// grains on a manual clock register the system clock under this key.
    /// </summary>
    public const string ClockKey = "NexusOrleans.Cluster.Clock";

    /// <summary>Join the cluster (PostgreSQL storage only). Off: the silo owns every partition alone.</summary>
    public bool Enabled { get; set; }

    /// <summary>How many partitions grains are spread over; fixed for the life of the database, every silo must agree.</summary>
    public int PartitionCount { get; set; } = 256;

    /// <summary>How often the silo heartbeats, renews its leases and reads the cluster's view.</summary>
    public TimeSpan HeartbeatPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a lease lasts after each renew, by the database's clock. The silo stops treating a partition as its own
    /// this long after it SENT the last renew that succeeded (self-fencing), and another silo may take it over this long
    /// after the renew ran.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A member whose last heartbeat is older than this, by the database's clock, is declared dead.</summary>
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How long a graceful handoff waits for the grains of the partitions it gives away to deactivate.</summary>
    public TimeSpan HandoffTimeout { get; set; } = TimeSpan.FromSeconds(10);

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
        if (options.PartitionCount is < 1 or > 65536)
        {
            failures.Add($"Cluster:PartitionCount must be between 1 and 65536 (got {options.PartitionCount}).");
        }

        if (options.HeartbeatPeriod < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"Cluster:HeartbeatPeriod must be at least 10 ms (got {options.HeartbeatPeriod}).");
        }

        if (options.LeaseDuration <= options.HeartbeatPeriod)
        {
            failures.Add($"Cluster:LeaseDuration must be longer than HeartbeatPeriod (got {options.LeaseDuration}, heartbeat {options.HeartbeatPeriod}).");
        }

        if (options.DeadAfter < options.LeaseDuration)
        {
            // A member declared dead must have no live lease left, or declaring it dead would not make its partitions free.
            failures.Add($"Cluster:DeadAfter must be at least LeaseDuration (got {options.DeadAfter}, lease {options.LeaseDuration}).");
        }

        if (options.HandoffTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Cluster:HandoffTimeout must be positive (got {options.HandoffTimeout}).");
        }

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
