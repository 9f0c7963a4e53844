using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>
/// The assignment logic alone. The same properties are shown on real silos over PostgreSQL in
/// <see cref="PartitionLeaseTests"/>.
/// </summary>
public sealed class RendezvousTests
{
    private const int Partitions = 256;

    [Fact]
    public void Assign_ThreeMembers_EachGetsAFairShare()
    {
        var members = Members(3);

        var counts = Counts(Rendezvous.Assign(members, Partitions), members.Count);

        Assert.All(counts, count => Assert.InRange(count, 60, 110));
        Assert.Equal(Partitions, counts.Sum());
    }

    [Fact]
    public void Assign_FourthMemberJoins_OnlyPartitionsMovingToItMove()
    {
        var three = Members(3);
        var four = Members(4);
        var before = Rendezvous.Assign(three, Partitions);

        var after = Rendezvous.Assign(four, Partitions);

        var moved = Enumerable.Range(0, Partitions).Where(partition => before[partition] != after[partition]).ToList();
        Assert.All(moved, partition => Assert.Equal(3, after[partition]));
        Assert.InRange(moved.Count, 40, 90);
    }

    [Fact]
    public void Assign_MemberLeaves_OnlyItsPartitionsMove()
    {
        var four = Members(4);
        var before = Rendezvous.Assign(four, Partitions);

        var after = Rendezvous.Assign([four[0], four[2], four[3]], Partitions);

        for (var partition = 0; partition < Partitions; partition++)
        {
            if (before[partition] != 1)
            {
                Assert.Equal(four[before[partition]], new[] { four[0], four[2], four[3] }[after[partition]]);
            }
        }
    }

    [Fact]
    public void Assign_SameMembersInAnotherOrder_SameOwners()
    {
        var members = Members(5);
        var reversed = members.AsEnumerable().Reverse().ToList();

        var first = Rendezvous.Assign(members, Partitions).Select(index => members[index]);
        var second = Rendezvous.Assign(reversed, Partitions).Select(index => reversed[index]);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Assign_NoMembers_NobodyOwnsAnything()
    {
        Assert.All(Rendezvous.Assign([], 8), owner => Assert.Equal(-1, owner));
    }

    private static List<SiloAddress> Members(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new SiloAddress("10.0.0." + (i + 1), 11111, 1_760_000_000_000 + i))];

    private static int[] Counts(int[] owners, int members)
    {
        var counts = new int[members];
        foreach (var owner in owners)
        {
            counts[owner]++;
        }

        return counts;
    }
}
