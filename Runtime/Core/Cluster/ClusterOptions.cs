using Microsoft.Extensions.Options;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>Settings of a silo in a PostgreSQL cluster (configuration section <c>Cluster</c>).</summary>
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

    /// <summary>Host name or address other silos reach this silo's silo-to-silo endpoint at.</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Port of this silo's silo-to-silo endpoint.</summary>
    public int SiloPort { get; set; } = 11111;

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

        if (string.IsNullOrWhiteSpace(options.AdvertisedHost))
        {
            failures.Add("Cluster:AdvertisedHost must name the host other silos reach this one at.");
        }

        if (options.SiloPort is < 0 or > 65535)
        {
            failures.Add($"Cluster:SiloPort must be between 0 and 65535 (got {options.SiloPort}).");
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
