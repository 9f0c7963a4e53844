using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Grains.Anchoring;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Protocol.Settlement;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Anchoring;

/// <summary>
/// The watch after confirmation on a real anvil: a reorg deeper than the confirmations that takes the anchor away, an
/// anchor that stays through the watch, and the watch turned off.
/// </summary>
[Trait("Category", "E2E")]
public sealed class AnchorWatchTests : AnchoringSiloTest
{
    private static readonly GrainId AnchorId = new(GrainType.Create("anchor"), EpochKeys.Format(Ten));

    [Fact]
    public async Task Anchor_ReorgedAwayDeeperThanTheConfirmations_IsSentAgainWithAFreshNonceAndConfirmedOnce()
    {
        SenderOptions = new TransactionSenderOptions { Confirmations = 2, PollInterval = TimeSpan.FromMilliseconds(10) };
        var silo = await StartAnchoringSiloAsync();
        var batch = await CloseTenAsync(silo);
        var backlog = silo.Host.Services.GetRequiredService<AnchorBacklog>();
        await ConfirmAsync(silo);
        var first = (await StoredAnchorAsync(silo))!.Steps[0];
        var head = await Chain.Node.Rpc.BlockNumberAsync(Ct);
        Assert.Equal(first.BlockNumber + 1, head);
        Assert.Equal(0, backlog.Count);

        await Chain.Node.SendAsync("anvil_reorg", 3, new JsonArray()); // three blocks back: one past the two confirmations
        Assert.All(await Chain.Distributor.AnchoredRootAsync(TenOnChain, Ct), b => Assert.Equal(0, b));
        Assert.Empty(await AnchoredEventsAsync());
        Clock.Advance(TimeSpan.FromMinutes(1)); // the reminder is due: the watch reads the chain
        await EventuallyStored(silo, state => state.Steps[0].State == AnchorState.Sent, "the anchor is sent again");
        Assert.Equal(1, backlog.Count);
        await Chain.Node.MineAsync();
        await EventuallyStored(
            silo, state => AllConfirmed(state) && state.ConfirmedAt is not null && state.Steps[0].BlockHash != first.BlockHash, "the new anchor is confirmed");

        var step = (await StoredAnchorAsync(silo))!.Steps[0];
        Assert.Equal(first.Transaction!.Nonce, step.Transaction!.Nonce); // the reorg freed the nonce and the sender read it afresh
        Assert.Equal(step.MinedHash, Assert.Single(await AnchoredEventsAsync()).Log.TransactionHash);
        Assert.Equal(RootBytes(batch.Root!), await Chain.Distributor.AnchoredRootAsync(TenOnChain, Ct));
        var warning = Assert.Single(silo.Logs.Lines, line => line.EventId.Id == 4208);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(EpochKeys.Format(Ten), warning.Message, StringComparison.Ordinal);
        Assert.Contains($"block {first.BlockNumber} ({first.BlockHash})", warning.Message, StringComparison.Ordinal);
        var status = (await Anchor(silo).GetStatus())!;
        Assert.Equal(AnchorState.Confirmed, status.State);
        var shown = Assert.Single(status.Steps);
        Assert.Equal(AnchorState.Confirmed, shown.State);
        Assert.Equal(step.BlockHash, shown.BlockHash);
        Assert.Equal(step.MinedHash, shown.MinedHash);
        Assert.False(shown.FoundOnChain);
        Assert.Null(shown.Problem);
        Assert.Equal(0, backlog.Count);
        Assert.NotNull(await AnchorReminderAsync(silo)); // and the watch goes on from the new confirmation
    }

    [Fact]
    public async Task Anchor_ReorgedAwayAndAnotherRootAnchoredInstead_StopsInConflictWithoutSending()
    {
        SenderOptions = new TransactionSenderOptions { Confirmations = 2, PollInterval = TimeSpan.FromMilliseconds(10) };
        var silo = await StartAnchoringSiloAsync();
        await CloseTenAsync(silo);
        var backlog = silo.Host.Services.GetRequiredService<AnchorBacklog>();
        await ConfirmAsync(silo);
        await Chain.Node.SendAsync("anvil_reorg", 3, new JsonArray());
        var other = EpochBatchTree.Build([new EpochLeaf(Chain.Node.Wallet(5).Address, 1, 0)]).Root;
        await Chain.Distributor.AnchorAsync(Chain.Anchor, TenOnChain, other, Ct);
        var nonce = await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await EventuallyStored(silo, state => state.Steps[0].State == AnchorState.Conflict, "the conflict is recorded");
        await Eventually(async () => await AnchorReminderAsync(silo) is null, "the reminder is removed");

        Assert.Equal(AnchorState.Conflict, (await Anchor(silo).GetStatus())!.State);
        Assert.Contains(silo.Logs.Lines, line => line.EventId.Id == 4205 && line.Level == LogLevel.Error);
        Assert.DoesNotContain(silo.Logs.Lines, line => line.EventId.Id == 4208);
        Assert.Equal(1, backlog.Conflicts);
        Assert.Equal(other, await Chain.Distributor.AnchoredRootAsync(TenOnChain, Ct));
        Assert.Equal(nonce, await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct));
    }

    [Fact]
    public async Task Anchor_StillOnChainThroughTheWatch_ReminderIsRemovedAndNothingIsSent()
    {
        var silo = await StartAnchoringSiloAsync(options => options.WatchFor = TimeSpan.FromMinutes(2));
        await CloseTenAsync(silo);
        await ConfirmAsync(silo);
        var nonce = await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct);
        Assert.NotNull(await AnchorReminderAsync(silo));

        Clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually(async () => await AnchorReminderAsync(silo) is { LastTickDue: not null }, "the first watch reminder is delivered");
        Assert.NotNull(await AnchorReminderAsync(silo)); // a minute into a two-minute watch
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually(async () => await AnchorReminderAsync(silo) is null, "the watch is over and its reminder removed");

        Assert.Equal(nonce, await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct));
        Assert.Single(await AnchoredEventsAsync());
        Assert.Contains(silo.Logs.Lines, line => line.EventId.Id == 4210);
        Assert.DoesNotContain(silo.Logs.Lines, line => line.EventId.Id is 4206 or 4208);
        Assert.Equal(AnchorState.Confirmed, (await Anchor(silo).GetStatus())!.State);
    }

    [Fact]
    public async Task Anchor_WatchForZero_NeverReadsTheChainAfterConfirmation()
    {
        await using var port = new SwitchablePort(Chain.Node.Endpoint.Port);
        NodeEndpoint = port.Endpoint;
        var silo = await StartAnchoringSiloAsync(options => options.WatchFor = TimeSpan.Zero);
        await CloseTenAsync(silo);
        await Anchor(silo).Start();
        await EventuallyStored(silo, AllConfirmed, "the anchor is confirmed");
        await Eventually(async () => await AnchorReminderAsync(silo) is null, "the reminder is removed at confirmation");

        port.Close();
        for (var minute = 0; minute < 5; minute++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(AnchorState.Confirmed, (await Anchor(silo).GetStatus())!.State);
        Assert.Null(await AnchorReminderAsync(silo));
        Assert.Null((await StoredAnchorAsync(silo))!.ConfirmedAt);
        Assert.DoesNotContain(silo.Logs.Lines, line => line.EventId.Id is 4206 or 4208 or 4210);
    }

    /// <summary>Starts the anchoring of 10:00 and waits until it is confirmed, mining the block a second confirmation needs.</summary>
    private async Task ConfirmAsync(TestSilo silo)
    {
        await Anchor(silo).Start();
        await EventuallyStored(silo, state => state.Steps[0].State is AnchorState.Sent or AnchorState.Confirmed, "the anchor is sent");
        if (SenderOptions.Confirmations > 1)
        {
            await Chain.Node.MineAsync();
        }

        await EventuallyStored(silo, state => AllConfirmed(state) && state.ConfirmedAt is not null, "the anchor is confirmed and watched");
    }

    private static Task<ReminderEntry?> AnchorReminderAsync(TestSilo silo) =>
        StorageOf(silo).Reminders.ReadAsync(AnchorId, AnchorGrain.Reminder, Ct);
}
