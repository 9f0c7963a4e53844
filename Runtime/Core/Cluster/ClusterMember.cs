namespace NexusOrleans.Runtime.Cluster;

/// <summary>A member of the cluster as the last heartbeat round read it.</summary>
/// <param name="SiloId">The member's number in the database, unique to this incarnation.</param>
/// <param name="Address">Where it listens and which incarnation it is.</param>
/// <param name="Status"><c>joining</c>, <c>active</c> or <c>leaving</c> (dead members are not listed).</param>
/// <param name="Fresh">True when its last heartbeat is within DeadAfter by the database's clock.</param>
public sealed record ClusterMember(long SiloId, SiloAddress Address, string Status, bool Fresh)
{
    /// <summary>True when partitions may be assigned to it: fresh, and joining or active (not leaving).</summary>
    public bool IsLive => Fresh && Status is "joining" or "active";
}

/// <summary>One partition's lease as the database sees it.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Owner">The owning member's silo id, or null when released or never owned.</param>
/// <param name="Epoch">The fencing epoch of the current or last owner.</param>
/// <param name="Takeable">True when free or expired by the database's clock.</param>
internal readonly record struct LeaseRow(int Partition, long? Owner, long Epoch, bool Takeable);
