using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Grains.Anchoring;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Silo.Chain;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Anchoring;

/// <summary>Anchoring through what goes wrong on a real anvil: reorgs, restarts, stuck transactions, a node that goes away.</summary>
[Trait("Category", "E2E")]
public sealed class AnchorRecoveryTests : AnchoringSiloTest
{
    [Fact]
    public async Task Anchor_ReorgedAwayBeforeConfirmation_IsAnchoredAgainExactlyOnce()
    {
        SenderOptions = new TransactionSenderOptions { Confirmations = 2, PollInterval = TimeSpan.FromMilliseconds(10) };
        var silo = await StartAnchoringSiloAsync();
        var batch = await CloseTenAsync(silo);

        await Anchor(silo).Start();
        await EventuallyStored(silo, state => state.Steps[0].Transaction is not null, "the anchor is sent and its record stored");
        var hash = (await StoredAnchorAsync(silo))!.Steps[0].Transaction!.Attempts[0].Hash;
        await Eventually(async () => await Chain.Node.Rpc.GetTransactionReceiptAsync(hash, Ct) is not null, "the anchor is in a block");
        var firstBlock = (await Chain.Node.Rpc.GetTransactionReceiptAsync(hash, Ct))!.BlockHash;
        await Chain.Node.SendAsync("anvil_reorg", 1, new JsonArray());
        await Eventually(
            async () => await Chain.Node.Rpc.GetTransactionReceiptAsync(hash, Ct) is { } receipt && receipt.BlockHash != firstBlock,
            "the anchor is sent again and mined in another block");
        await Chain.Node.MineAsync();
        await EventuallyStored(silo, AllConfirmed, "the anchor is confirmed");

        var step = (await StoredAnchorAsync(silo))!.Steps[0];
        Assert.Equal(hash, step.MinedHash);
        Assert.NotEqual(firstBlock, step.BlockHash);
        Assert.Equal(hash, Assert.Single(await AnchoredEventsAsync()).Log.TransactionHash);
        Assert.Equal(RootBytes(batch.Root!), await Chain.Distributor.AnchoredRootAsync(TenOnChain, Ct));
    }

    [Fact]
    public async Task Anchor_SiloStoppedBetweenSendAndConfirmation_NewSiloConfirmsTheSameTransaction()
    {
        SenderOptions = new TransactionSenderOptions { Confirmations = 2, PollInterval = TimeSpan.FromMilliseconds(10) };
        var first = await StartAnchoringSiloAsync();
        await CloseTenAsync(first);
        await Anchor(first).Start();
        await EventuallyStored(first, state => state.Steps[0].State == AnchorState.Sent, "the anchor is sent and its record stored");
        var sent = (await StoredAnchorAsync(first))!.Steps[0].Transaction!;
        await first.StopAsync();
        var nonceAfterSend = await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct);

        var second = await StartAnchoringSiloAsync();
        await Chain.Node.MineAsync();
        Clock.Advance(TimeSpan.FromMinutes(1)); // the anchor's reminder is due and brings the epoch's grain back
        await EventuallyStored(second, AllConfirmed, "the new silo resumes and confirms the anchor");

        var step = (await StoredAnchorAsync(second))!.Steps[0];
        Assert.Equal(sent.Attempts[0].Hash, step.MinedHash);
        Assert.Equal(step.MinedHash, Assert.Single(await AnchoredEventsAsync()).Log.TransactionHash);
        Assert.Equal(nonceAfterSend, await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct));
    }

    [Fact]
    public async Task Anchor_StuckWithAutomineOff_IsReplacedAndConfirmedOnce()
    {
        SenderOptions = new TransactionSenderOptions { Confirmations = 1, PollInterval = TimeSpan.FromSeconds(1), ReplaceAfter = TimeSpan.FromMinutes(1) };
        SenderClock = Clock;
        var silo = await StartAnchoringSiloAsync(options => options.WaitSlice = TimeSpan.FromMinutes(5));
        await CloseTenAsync(silo);
        await Chain.Node.SendAsync("evm_setAutomine", false);

        await Anchor(silo).Start();
        await EventuallyStored(silo, state => state.Steps[0].State == AnchorState.Sent, "the anchor is sent");
        await PumpUntilStored(silo, state => state.Steps[0].Transaction!.Attempts.Count == 2, "a replacement is sent and stored");
        await Chain.Node.MineAsync();
        await PumpUntilStored(silo, AllConfirmed, "the replaced anchor is confirmed");

        var step = (await StoredAnchorAsync(silo))!.Steps[0];
        var hashes = step.Transaction!.Attempts.Select(a => a.Hash).ToArray();
        Assert.Equal(2, hashes.Length);
        Assert.Contains(step.MinedHash, hashes);
        Assert.Equal(step.MinedHash, Assert.Single(await AnchoredEventsAsync()).Log.TransactionHash);
        var mined = 0;
        foreach (var hash in hashes)
        {
            mined += await Chain.Node.Rpc.GetTransactionReceiptAsync(hash, Ct) is null ? 0 : 1;
        }

        Assert.Equal(1, mined);
    }

    [Fact]
    public async Task Anchor_NodeUnreachable_BacklogGrowsHealthDegradesRelayingGoesOnAndItIsAnchoredWhenTheNodeIsBack()
    {
        await using var port = new SwitchablePort(Chain.Node.Endpoint.Port);
        NodeEndpoint = port.Endpoint;
        var silo = await StartAnchoringSiloAsync();
        var batch = await CloseTenAsync(silo);
        port.Close();
        var backlog = silo.Host.Services.GetRequiredService<AnchorBacklog>();
        var health = new AnchorBacklogHealthCheck(backlog, silo.Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AnchoringOptions>>());

        await Anchor(silo).Start();
        Assert.Equal(1, backlog.Count);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
        await Poll.UntilAsync(
            async () =>
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
                return silo.Logs.Lines.Any(line => line.EventId.Id == 4206 && line.Message.Contains("next try in 00:00:04", StringComparison.Ordinal));
            },
            "anchoring fails and backs off, doubling its wait, while the node is away");
        MoveTo(Clock.GetUtcNow().AddMinutes(11));
        var degraded = await health.CheckHealthAsync(new HealthCheckContext(), Ct);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.True(backlog.OldestAge > TimeSpan.FromMinutes(10));
        var inbox = silo.Grains.GetGrain<IInboxGrain>(Envelopes.NewIdentity());
        var envelope = Envelopes.Create(Clock.GetUtcNow(), TimeSpan.FromHours(1));
        Assert.Equal(DepositStatus.Stored, (await inbox.Deposit(envelope)).Status);
        Assert.Equal(envelope.Id, Assert.Single((await inbox.Fetch(0, 10)).Envelopes).Id);
        Assert.Equal(AnchorState.Pending, (await StoredAnchorAsync(silo))!.Steps[0].State);

        port.Open();
        var failures = -1;
        await Poll.UntilAsync(
            async () =>
            {
                // Let the next backed-off try run (at most RetryMax away), and again only after another failure.
                var now = silo.Logs.Lines.Count(line => line.EventId.Id == 4206);
                if (now != failures)
                {
                    failures = now;
                    Clock.Advance(TimeSpan.FromSeconds(8));
                }

                return await StoredAnchorAsync(silo) is { } state && AllConfirmed(state) && backlog.Count == 0;
            },
            "the anchor is confirmed once the node is back, and leaves the backlog");

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
        Assert.Equal(RootBytes(batch.Root!), await Chain.Distributor.AnchoredRootAsync(TenOnChain, Ct));
        Assert.Single(await AnchoredEventsAsync());
        var waits = silo.Logs.Lines.Where(line => line.EventId.Id == 4206).Select(line => line.Message).ToList();
        var first = waits.FindIndex(m => m.Contains("next try in 00:00:01", StringComparison.Ordinal));
        var second = waits.FindIndex(m => m.Contains("next try in 00:00:02", StringComparison.Ordinal));
        var third = waits.FindIndex(m => m.Contains("next try in 00:00:04", StringComparison.Ordinal));
        Assert.True(first >= 0 && first < second && second < third, string.Join(Environment.NewLine, waits));
    }

    // Moves the clock by the sender's poll interval's multiple until the stored state shows the outcome: a minute of
    // ReplaceAfter takes a dozen steps, few enough that a busy machine (the whole project runs in parallel) reaches it
    // well within the patience.
    private Task PumpUntilStored(TestSilo silo, Func<AnchorGrainState, bool> condition, string description) =>
        Poll.UntilAsync(
            async () =>
            {
                if (await StoredAnchorAsync(silo) is { } state && condition(state))
                {
                    return true;
                }

                Clock.Advance(TimeSpan.FromSeconds(5));
                return false;
            },
            description,
            TimeSpan.FromSeconds(60));
}
