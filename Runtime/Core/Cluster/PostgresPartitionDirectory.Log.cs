using Microsoft.Extensions.Logging;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>The directory's log messages (event ids in <see cref="ClusterEventIds"/>).</summary>
public sealed partial class PostgresPartitionDirectory
{
    [LoggerMessage(EventId = ClusterEventIds.Joined, Level = LogLevel.Information,
        Message = "Joined the cluster as {Silo} (member {SiloId}) with {PartitionCount} partitions")]
    private static partial void LogJoined(ILogger logger, SiloAddress silo, long siloId, int partitionCount);

    [LoggerMessage(EventId = ClusterEventIds.PartitionsGained, Level = LogLevel.Information, Message = "Took {Count} partitions: {Partitions}")]
    private static partial void LogPartitionsGained(ILogger logger, int count, string partitions);

    [LoggerMessage(EventId = ClusterEventIds.PartitionsLost, Level = LogLevel.Information,
        Message = "No longer serving {Count} partitions: {Partitions}; their grains deactivate and their reminders stop here")]
    private static partial void LogPartitionsLost(ILogger logger, int count, string partitions);

    [LoggerMessage(EventId = ClusterEventIds.HeartbeatFailed, Level = LogLevel.Warning,
        Message = "Heartbeat round failed; the {Count} leases held are given up {LeaseMs:F0} ms after the last renew that was sent and succeeded")]
    private static partial void LogHeartbeatFailed(ILogger logger, int count, double leaseMs, Exception exception);

    [LoggerMessage(EventId = ClusterEventIds.SelfFenced, Level = LogLevel.Warning,
        Message = "Self-fencing: the leases of {Count} partitions may have expired (no renew confirmed within the lease duration): {Partitions}")]
    private static partial void LogSelfFenced(ILogger logger, int count, string partitions);

    [LoggerMessage(EventId = ClusterEventIds.MembersDeclaredDead, Level = LogLevel.Warning,
        Message = "Declared dead (no heartbeat within Cluster:DeadAfter): {Members}")]
    private static partial void LogMembersDeclaredDead(ILogger logger, string members);

    [LoggerMessage(EventId = ClusterEventIds.SelfDeclaredDead, Level = LogLevel.Error,
        Message = "This silo {Silo} is dead to the cluster (its heartbeat was refused after missing Cluster:DeadAfter); it has dropped every partition and rejoins, owning nothing, as soon as the database lets it")]
    private static partial void LogSelfDeclaredDead(ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = ClusterEventIds.Rejoined, Level = LogLevel.Warning,
        Message = "Rejoined the cluster as {Silo} after being declared dead; partitions come back to it by rendezvous hashing, each with a new epoch")]
    private static partial void LogRejoined(ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = ClusterEventIds.HandoffStarted, Level = LogLevel.Information,
        Message = "Handing {Count} partitions to the silos rendezvous hashing now assigns them to: {Partitions}")]
    private static partial void LogHandoffStarted(ILogger logger, int count, string partitions);

    [LoggerMessage(EventId = ClusterEventIds.Left, Level = LogLevel.Information,
        Message = "Left the cluster as {Silo}: released {Count} partitions")]
    private static partial void LogLeft(ILogger logger, SiloAddress silo, int count);

    [LoggerMessage(EventId = ClusterEventIds.LeaveFailed, Level = LogLevel.Warning,
        Message = "Could not tell the cluster that {Silo} is leaving; its leases expire and it is declared dead instead")]
    private static partial void LogLeaveFailed(ILogger logger, SiloAddress silo, Exception exception);

    [LoggerMessage(EventId = ClusterEventIds.ChangeHandlerFailed, Level = LogLevel.Error,
        Message = "A handler of the partition directory's Changed event threw")]
    private static partial void LogChangeHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = ClusterEventIds.HandoffFailed, Level = LogLevel.Warning,
        Message = "Handoff of {Count} partitions incomplete: {Reason}")]
    private static partial void LogHandoffFailed(ILogger logger, int count, string reason, Exception? exception);

    [LoggerMessage(EventId = ClusterEventIds.AcquireFailed, Level = LogLevel.Warning,
        Message = "Could not acquire {Count} partitions; the next heartbeat round tries again")]
    private static partial void LogAcquireFailed(ILogger logger, int count, Exception exception);
}
