using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Testing.Postgres;

namespace NexusOrleans.Silo.Tests.Cluster;

/// <summary>
/// The cluster as operators and phones meet it: three silo processes on one PostgreSQL database and two gateway
/// processes in front of them, phones sending through the gateways while silos crash, join and restart and while the
/// database restarts; and a frozen silo, with phones on the silos' own gateways so that one sends through it.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ClusterProcessTests(ITestOutputHelper output)
{
    private const int Phones = 6;

    // Longer than the client's request timeout (8 s) plus scheduling on two shared cores: a send slower than this hung.
    private static readonly TimeSpan SendBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task KillNineOfOneSilo_UnderLoad_EveryAcceptedMessageIsShownOnceAndFailedSendsWereRetryable()
    {
        await using var cluster = new TestCluster(await FreshDatabaseAsync());
        await cluster.StartAsync(3, gateways: 2);
        await using var load = await PhoneLoad.ConnectAsync(Phones, Gateways(cluster.Gateways));
        load.Start();
        await WaitForTrafficAsync(load, 30);
        var victim = await SiloServingMostInboxesAsync(cluster, load);
        var victimInboxes = await InboxesOnAsync(cluster, load, victim);
        var acceptedBeforeKill = load.Accepted.Keys.ToHashSet();
        output.WriteLine($"Killing {victim.Name} (cluster port {victim.ClusterPort}), serving the inboxes of phones {string.Join(", ", victimInboxes)}; phones use both gateway processes; silos: {string.Join(", ", cluster.Silos.Select(silo => silo.Name))}");

        var killedAt = DateTimeOffset.UtcNow;
        await victim.KillAsync();
        await TestCluster.WaitUntilAsync(
            () => Task.FromResult(load.Deliveries.Any(d => d.At > killedAt && victimInboxes.Contains(d.Recipient) && !acceptedBeforeKill.Contains(d.Id))),
            "a message sent after the kill reaches an inbox the killed silo served");
        var failover = load.Deliveries.Where(d => d.At > killedAt && victimInboxes.Contains(d.Recipient) && !acceptedBeforeKill.Contains(d.Id)).Min(d => d.At) - killedAt;
        output.WriteLine($"Failover: {failover.TotalMilliseconds:F0} ms from kill -9 to the first delivery of a new message to an inbox the killed silo served " +
                         $"(HeartbeatPeriod 200 ms, LeaseDuration 1 s, DeadAfter 1.5 s, {TestCluster.PartitionCount} partitions, {Phones} phones)");
        await TestCluster.WaitUntilAsync(
            async () => (await cluster.PartitionsBySiloAsync()) is var owners && owners.Values.Sum() == TestCluster.PartitionCount && !owners.ContainsKey(victim.ClusterPort),
            "the two survivors serve every partition");
        await WaitForTrafficAsync(load, load.Shown.Count + 30);

        await AssertNoAcceptedMessageLostAsync(load, cluster.Gateways);
    }

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
        // It comes back as a member owning nothing and takes partitions again, each under a new epoch.
        await victim.WaitForLine("Rejoined the cluster");
        await TestCluster.WaitUntilAsync(
            async () => (await cluster.PartitionsBySiloAsync()) is var owners && owners.Values.Sum() == TestCluster.PartitionCount && owners.ContainsKey(victim.ClusterPort),
            "the rejoined silo serves partitions again");
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

    [Fact]
    public async Task FourthSilo_JoiningUnderLoad_TakesAFairShareAndNoAcceptedMessageIsLost()
    {
        await using var cluster = new TestCluster(await FreshDatabaseAsync());
        await cluster.StartAsync(3, gateways: 2);
        await using var load = await PhoneLoad.ConnectAsync(Phones, Gateways(cluster.Gateways));
        load.Start();
        await WaitForTrafficAsync(load, 30);

        var newcomer = cluster.AddSilo();
        await newcomer.WaitUntilReadyAsync();
        await TestCluster.WaitUntilAsync(
            async () => (await cluster.PartitionsBySiloAsync()) is var owners && owners.GetValueOrDefault(newcomer.ClusterPort) >= 3 && owners.Count == 4
                        && owners.Values.Sum() == TestCluster.PartitionCount,
            "four silos serve the partitions, the newcomer at least 3 of them");
        var shares = await cluster.PartitionsBySiloAsync();
        output.WriteLine("Partitions after the join: " + string.Join(", ", cluster.Silos.Select(silo => $"{silo.Name} {shares.GetValueOrDefault(silo.ClusterPort)}")));
        await WaitForTrafficAsync(load, load.Shown.Count + 30);

        // Rendezvous hashing gives the newcomer 8 of 32 on average; fewer than 3 is a fair share missed, not bad luck (p < 0.01).
        Assert.InRange(shares[newcomer.ClusterPort], 3, 16);
        await AssertNoAcceptedMessageLostAsync(load, cluster.Gateways);
    }

    [Fact]
    public async Task RollingRestartBySigterm_UnderLoad_NoAcceptedMessageIsLostAndErrorsAreRetryable()
    {
        await using var cluster = new TestCluster(await FreshDatabaseAsync());
        await cluster.StartAsync(3, gateways: 2);
        await using var load = await PhoneLoad.ConnectAsync(Phones, Gateways(cluster.Gateways));
        load.Start();
        await WaitForTrafficAsync(load, 30);

        foreach (var silo in cluster.Silos)
        {
            await silo.TerminateAsync();
            Assert.Equal(0, await silo.WaitForExitAsync());
            await silo.RestartAsync();
            await silo.WaitUntilReadyAsync();
            await TestCluster.WaitUntilAsync(
                async () => (await cluster.PartitionsBySiloAsync()).GetValueOrDefault(silo.ClusterPort) > 0,
                $"{silo.Name} serves partitions again after its restart");
            await WaitForTrafficAsync(load, load.Shown.Count + 10);
        }

        await AssertNoAcceptedMessageLostAsync(load, cluster.Gateways);
    }

    [Fact]
    public async Task PostgresRestart_UnderLoad_SilosRecoverOnTheirOwnAndMessagesFlowAgain()
    {
        await using var server = await PostgresServer.StartLocalAsync(TestContext.Current.CancellationToken);
        await using var cluster = new TestCluster(await server.CreateDatabaseAsync(TestContext.Current.CancellationToken));
        await cluster.StartAsync(3, gateways: 2);
        await using var load = await PhoneLoad.ConnectAsync(Phones, Gateways(cluster.Gateways));
        load.Start();
        await WaitForTrafficAsync(load, 30);

        await server.StopAsync(TestContext.Current.CancellationToken);
        await Task.WhenAll(cluster.Silos.Select(silo => silo.WaitForLine("Self-fencing")));
        await server.StartAsync(TestContext.Current.CancellationToken);
        var restartedAt = DateTimeOffset.UtcNow;
        await TestCluster.WaitUntilAsync(
            async () => (await cluster.PartitionsBySiloAsync()).Values.Sum() == TestCluster.PartitionCount,
            "every partition is served again after PostgreSQL is back");
        await TestCluster.WaitUntilAsync(
            () => Task.FromResult(load.Deliveries.Count(d => d.At > restartedAt) >= 30),
            "messages flow again after PostgreSQL is back");

        Assert.All(cluster.Silos.Concat(cluster.Gateways), process => Assert.False(process.HasExited, $"{process.Name} exited"));
        await AssertNoAcceptedMessageLostAsync(load, cluster.Gateways);
    }

    private static async Task<string> FreshDatabaseAsync() =>
        await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync(TestContext.Current.CancellationToken);

    private static Uri[] Gateways(IEnumerable<ClusterProcess> processes) => [.. processes.Select(process => process.WebSocketAddress)];

    private static Task WaitForTrafficAsync(PhoneLoad load, int shown) =>
        TestCluster.WaitUntilAsync(() => Task.FromResult(load.Shown.Count >= shown), $"{shown} messages shown to phones");

    private static async Task<ClusterProcess> SiloServingMostInboxesAsync(TestCluster cluster, PhoneLoad load)
    {
        var owners = new List<int?>();
        for (var phone = 0; phone < load.Count; phone++)
        {
            owners.Add(await cluster.InboxOwnerAsync(load.Identity(phone).ToString()));
        }

        return cluster.Silos.MaxBy(silo => owners.Count(owner => owner == silo.ClusterPort))!;
    }

    private static async Task<HashSet<int>> InboxesOnAsync(TestCluster cluster, PhoneLoad load, ClusterProcess silo)
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

    private async Task AssertNoAcceptedMessageLostAsync(PhoneLoad load, IEnumerable<ClusterProcess> gateways)
    {
        await load.StopSendingAsync();
        try
        {
            await TestCluster.WaitUntilAsync(() => Task.FromResult(load.Undelivered().Count == 0), "every accepted message is shown to its recipient");
        }
        catch (TimeoutException)
        {
            var stored = (await load.FetchLeftoversAsync(Gateways(gateways))).ToHashSet();
            output.WriteLine($"Undelivered: {load.Undelivered().Count} of {load.Accepted.Count}, of which {load.Undelivered().Count(stored.Contains)} are still in their inbox; " +
                             $"recipients {string.Join(", ", load.Undelivered().Select(id => load.Accepted[id]).Distinct())}: {string.Join(", ", load.Undelivered().Take(5))}");
        }

        output.WriteLine($"{load.Accepted.Count} sends accepted, {load.SendErrors.Count} refused " +
                         $"({string.Join("; ", load.SendErrors.Select(e => e.Message).Distinct().Take(3))}), longest send {load.LongestSend.TotalMilliseconds:F0} ms");
        Assert.Empty(load.Undelivered());
        Assert.All(load.Shown, pair => Assert.Equal(1, pair.Value));
        Assert.Empty(load.Misdelivered);
        Assert.All(load.SendErrors, error => Assert.True(PhoneLoad.IsRetryable(error), error.Message));
        Assert.True(load.LongestSend < SendBound, $"a send took {load.LongestSend}: it hung instead of failing");

        var leftovers = await load.FetchLeftoversAsync(Gateways(gateways));
        Assert.All(leftovers, id => Assert.False(load.Acked.ContainsKey(id), $"{id} was acked and is delivered again"));
    }
}
