using NexusOrleans.Runtime.Storage.Postgres;
using NexusOrleans.Runtime.Storage.Schema;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>The cluster's statements, loaded from the checked-in files under <c>Cluster/Sql/</c>.</summary>
internal static class ClusterSql
{
    public static readonly string Settings = Load("cluster_settings.sql");
    public static readonly string LeasesInit = Load("cluster_leases_init.sql");
    public static readonly string SiloJoin = Load("silo_join.sql");
    public static readonly string SiloHeartbeat = Load("silo_heartbeat.sql");
    public static readonly string SiloRejoin = Load("silo_rejoin.sql");
    public static readonly string SiloDeclareDead = Load("silo_declare_dead.sql");
    public static readonly string SiloStatus = Load("silo_status.sql");
    public static readonly string SiloMembers = Load("silo_members.sql");
    public static readonly string LeaseRenew = Load("lease_renew.sql");
    public static readonly string LeaseAcquire = Load("lease_acquire.sql");
    public static readonly string LeaseRelease = Load("lease_release.sql");
    public static readonly string LeaseView = Load("lease_view.sql");
    public static readonly string PartitionCount = Load("cluster_partition_count.sql");

    /// <summary>cluster_reminder_index.sql for the cluster's partition count.</summary>
    public static string ReminderIndex(int partitionCount) => PostgresSql.WithPartitionCount(Load("cluster_reminder_index.sql"), partitionCount);

    /// <summary>cluster_reminder_index_exists.sql for the cluster's partition count.</summary>
    public static string ReminderIndexExists(int partitionCount) =>
        PostgresSql.WithPartitionCount(Load("cluster_reminder_index_exists.sql"), partitionCount);

    private static string Load(string file) => SqlScripts.Load("Cluster/Sql/" + file);
}
