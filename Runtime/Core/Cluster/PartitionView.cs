namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// Who owns each partition, from one read of the members and the leases: the lease holder while its lease is live, and
/// otherwise (free or expired) the live member rendezvous hashing assigns it to, which is the one about to take it.
/// Silos and read-only views build it the same way, so both route a call to the same place.
/// </summary>
internal static class PartitionView
{
    /// <summary>The live members in silo-id order: the order every process hashes partitions over.</summary>
    public static List<ClusterMember> Live(IReadOnlyList<ClusterMember> members) =>
        [.. members.Where(member => member.IsLive).OrderBy(member => member.SiloId)];

    /// <param name="members">Every member not dead.</param>
    /// <param name="leases">Every partition's lease.</param>
    /// <param name="live">The live members, as <see cref="Live"/> orders them.</param>
    /// <param name="targets">Index into <paramref name="live"/> of each partition's assigned member, or -1.</param>
    /// <param name="self">The reading silo's id, whose own leases it answers itself; 0 for a process that holds none.</param>
    /// <param name="partitionCount">How many partitions.</param>
    public static PartitionOwner[] Build(
        IReadOnlyList<ClusterMember> members, IReadOnlyList<LeaseRow> leases, List<ClusterMember> live, int[] targets, long self, int partitionCount)
    {
        var addresses = members.ToDictionary(member => member.SiloId, member => member.Address);
        var view = new PartitionOwner[partitionCount];
        for (var partition = 0; partition < partitionCount; partition++)
        {
            view[partition] = new PartitionOwner(partition, null, 0, IsLocal: false);
        }

        foreach (var lease in leases.Where(lease => lease.Partition < partitionCount))
        {
            SiloAddress? owner = lease is { Owner: { } id, Takeable: false } && id != self && addresses.TryGetValue(id, out var address)
                ? address
                : targets[lease.Partition] >= 0 ? live[targets[lease.Partition]].Address : null;
            view[lease.Partition] = new PartitionOwner(lease.Partition, owner, lease.Epoch, IsLocal: false);
        }

        return view;
    }
}
