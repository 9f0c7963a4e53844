using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Testing.Postgres;

namespace NexusOrleans.Silo.Tests.Cluster;

/// <summary>
/// The cluster as operators and phones meet it: silo processes on one PostgreSQL database, phones sending through
/// their gateways while silos crash, freeze, join, restart, and while the database itself restarts.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ClusterProcessTests(ITestOutputHelper output)
{
    private const int Phones = 6;

    // Longer than the client's request timeout (8 s) plus scheduling on two shared cores: a send slower than this hung.
    private static readonly TimeSpan SendBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FrozenSiloPastItsLease_AfterSigcont_StepsDownAndTheNewOwnersStateIsIntact()
    {
        await using var cluster = new TestCluster(await FreshDatabaseAsync());
        await cluster.StartAsync(3);
        await using var load = await PhoneLoad.ConnectAsync(Phones, Gateways(cluster.Silos));
        for (var phone = 0; phone < Phones; phone++)
        {
            Assert.NotNull(await load.SendOnceAsync((phone + 1) % Phones, phone));
        }

        var victim = await SiloServingMostInboxesAsync(cluster, load);
        var victimIndex = cluster.Silos.ToList().IndexOf(victim);
        var target = (await InboxesOnAsync(cluster, load, victim)).First();
        // Phone i is connected to gateways i and i + 1: one sender avoids the frozen silo's gateway, one goes through it.
        var awaySender = Enumerable.Range(0, Phones).First(p => p != target && p % 3 != victimIndex && (p + 1) % 3 != victimIndex);
        var throughSender = Enumerable.Range(0, Phones).First(p => p != target && p % 3 == victimIndex);

        await victim.PauseAsync();
        await TestCluster.WaitUntilAsync(
            async () => (await cluster.PartitionsBySiloAsync()) is var owners && owners.Values.Sum() == TestCluster.PartitionCount && !owners.ContainsKey(victim.ClusterPort),
            "the others serve every partition of the frozen silo");
        var writtenByNewOwner = await load.SendOnceAsync(awaySender, target);
        Assert.NotNull(writtenByNewOwner);
        // Queued in the frozen silo's socket: it handles this the moment it runs again, with its stale view.
        var sentThroughStaleSilo = load.SendOnceAsync(throughSender, target);
        await victim.ResumeAsync();

        var stepDown = await Task.WhenAny(victim.WaitForLine("Self-fencing"), victim.WaitForLine("is dead to the cluster"));
        output.WriteLine($"The resumed silo logged: {await stepDown}");
        var throughStale = await sentThroughStaleSilo;
        await victim.WaitForLine("is dead to the cluster");
        Assert.False((await cluster.PartitionsBySiloAsync()).ContainsKey(victim.ClusterPort), "the resumed silo serves no partition");
        Assert.Equal(TestCluster.PartitionCount, (await cluster.PartitionsBySiloAsync()).Values.Sum());
        var survivors = cluster.Silos.Where(silo => silo != victim).ToArray();
        var inbox = await load.FetchLeftoversAsync(Gateways(survivors));
        Assert.Contains(writtenByNewOwner.Value, inbox);
        if (throughStale is { } accepted)
        {
            Assert.Contains(accepted, inbox);
        }

        Assert.All(load.Accepted.Keys, id => Assert.Contains(id, inbox));
        Assert.All(load.SendErrors, error => Assert.True(PhoneLoad.IsRetryable(error), error.Message));
    }

    private static async Task<string> FreshDatabaseAsync() =>
        await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync(TestContext.Current.CancellationToken);

    private static Uri[] Gateways(IEnumerable<ClusterSiloProcess> silos) => [.. silos.Select(silo => silo.WebSocketAddress)];

    private static Task WaitForTrafficAsync(PhoneLoad load, int shown) =>
        TestCluster.WaitUntilAsync(() => Task.FromResult(load.Shown.Count >= shown), $"{shown} messages shown to phones");

    private static async Task<ClusterSiloProcess> SiloServingMostInboxesAsync(TestCluster cluster, PhoneLoad load)
    {
        var owners = new List<int?>();
        for (var phone = 0; phone < load.Count; phone++)
        {
            owners.Add(await cluster.InboxOwnerAsync(load.Identity(phone).ToString()));
        }

        return cluster.Silos.MaxBy(silo => owners.Count(owner => owner == silo.ClusterPort))!;
    }

    private static async Task<HashSet<int>> InboxesOnAsync(TestCluster cluster, PhoneLoad load, ClusterSiloProcess silo)
    {
        var phones = new HashSet<int>();
        for (var phone = 0; phone < load.Count; phone++)
        {
            if (await cluster.InboxOwnerAsync(load.Identity(phone).ToString()) == silo.ClusterPort)
            {
                phones.Add(phone);
            }
        }

        Assert.NotEmpty(phones);
        return phones;
    }

    private async Task AssertNoAcceptedMessageLostAsync(PhoneLoad load, IEnumerable<ClusterSiloProcess> running)
    {
        await load.StopSendingAsync();
        try
        {
            await TestCluster.WaitUntilAsync(() => Task.FromResult(load.Undelivered().Count == 0), "every accepted message is shown to its recipient");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"Undelivered: {load.Undelivered().Count} of {load.Accepted.Count}: {string.Join(", ", load.Undelivered().Take(5))}");
        }

        output.WriteLine($"{load.Accepted.Count} sends accepted, {load.SendErrors.Count} refused " +
                         $"({string.Join("; ", load.SendErrors.Select(e => e.Message).Distinct().Take(3))}), longest send {load.LongestSend.TotalMilliseconds:F0} ms");
        Assert.Empty(load.Undelivered());
        Assert.All(load.Shown, pair => Assert.Equal(1, pair.Value));
        Assert.Empty(load.Misdelivered);
        Assert.All(load.SendErrors, error => Assert.True(PhoneLoad.IsRetryable(error), error.Message));
        Assert.True(load.LongestSend < SendBound, $"a send took {load.LongestSend}: it hung instead of failing");

        var leftovers = await load.FetchLeftoversAsync(Gateways(running));
        Assert.All(leftovers, id => Assert.False(load.Acked.ContainsKey(id), $"{id} was acked and is delivered again"));
    }
}
