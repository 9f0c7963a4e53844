namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// Rendezvous (highest-random-weight) hashing: each partition goes to the member with the highest weight for it, where
/// the weight is a hash of (member, partition).
/// </summary>
/// <remarks>
/// Each member wins about 1/n of the partitions, and a member joining takes only the partitions where it now has the
/// highest weight, all from others; a member leaving gives only its own away. Every silo computes the same answer from
/// the same member list without talking to the others. The hash is FNV-1a over the member's address text, mixed with the
/// partition by the SplitMix64 finalizer: fixed, so every process and version agrees (never string.GetHashCode).
/// </remarks>
internal static class Rendezvous
{
    /// <summary>For each partition, the index in <paramref name="members"/> of its owner; -1 for all when there are no members.</summary>
    public static int[] Assign(IReadOnlyList<SiloAddress> members, int partitionCount)
    {
        var owners = new int[partitionCount];
        var seeds = members.Select(Seed).ToArray();
        for (var partition = 0; partition < partitionCount; partition++)
        {
            var best = -1;
            var bestWeight = 0UL;
            for (var i = 0; i < seeds.Length; i++)
            {
                var weight = Weight(seeds[i], partition);
                if (best < 0 || weight > bestWeight
                    || (weight == bestWeight && string.CompareOrdinal(members[i].ToString(), members[best].ToString()) > 0))
                {
                    best = i;
                    bestWeight = weight;
                }
            }

            owners[partition] = best;
        }

        return owners;
    }

    private static ulong Seed(SiloAddress member)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(member.ToString()))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Weight(ulong seed, int partition)
    {
        var z = seed ^ ((ulong)(uint)partition * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
