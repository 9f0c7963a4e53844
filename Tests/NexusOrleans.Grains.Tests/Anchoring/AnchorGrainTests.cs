using System.Numerics;
using Microsoft.Extensions.Logging;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Grains.Anchoring;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Grains.Tests.Anchoring;

/// <summary>Anchoring a closed epoch on a real anvil: the root, claims against it, slashes, and what the chain already holds.</summary>
[Trait("Category", "E2E")]
public sealed class AnchorGrainTests : AnchoringSiloTest
{
    [Fact]
    public async Task Anchor_ClosedEpoch_IsConfirmedOnChainAndTheOperatorClaimsItsReward()
    {
        var silo = await StartAnchoringSiloAsync();
        var batch = await CloseTenAsync(silo);
        var leaf = Assert.Single(batch.Leaves);
        Assert.Equal(UInt128.Zero, (await Account(silo, Operator).GetAccount()).Balance);

        await Anchor(silo).Start();
        await EventuallyStored(silo, AllConfirmed, "the anchor is confirmed");

        Assert.Equal(RootBytes(batch.Root!), await Chain.Distributor.AnchoredRootAsync(TenOnChain, Ct));
        var status = (await Anchor(silo).GetStatus())!;
        Assert.Equal(AnchorState.Confirmed, status.State);
        Assert.Equal(1795255200ul, status.ChainEpoch);
        var step = Assert.Single(status.Steps);
        Assert.Equal(step.MinedHash, Assert.Single(await AnchoredEventsAsync()).Log.TransactionHash);
        Assert.False(step.FoundOnChain);
        await Chain.Distributor.ClaimAsync(Chain.Deployer, TenOnChain, Operator, leaf.Reward, leaf.Slash, leaf.Proof.Select(p => Convert.FromHexString(p[2..])), Ct);
        Assert.Equal(Ichat(100), leaf.Reward);
        Assert.Equal(leaf.Reward, await Chain.TokenContract.BalanceOfAsync(Operator, Ct));
    }

    [Fact]
    public async Task Scheduler_ClosingAnHour_HandsItToAnchoringWhichConfirmsIt()
    {
        var silo = await StartAnchoringSiloAsync();
        await FundAsync(silo, Operator, Ichat(1_000_000));
        await Account(silo, Operator).Stake(NewEntryId(), Ichat(1_000_000));
        Inputs.Served(Operator, Relay, Ten.AddHours(-1), Ten.AddHours(2));

        MoveTo(Ten.AddHours(1).AddMinutes(3));
        await EventuallyStored(silo, AllConfirmed, "the scheduler closes 10:00 and anchoring confirms it");

        var batch = (await silo.Grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(Ten)).GetBatch())!;
        Assert.Equal(RootBytes(batch.Root!), await Chain.Distributor.AnchoredRootAsync(TenOnChain, Ct));
    }

    [Fact]
    public async Task Anchor_SameRootAlreadyOnChain_IsDoneWithoutSendingAnything()
    {
        var expected = EpochBatchTree.Build([new EpochLeaf(Operator, Ichat(100), 0)]).Root;
        await Chain.Distributor.AnchorAsync(Chain.Anchor, TenOnChain, expected, Ct);
        var nonce = await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct);
        var silo = await StartAnchoringSiloAsync();

        var batch = await CloseTenAsync(silo);
        await Anchor(silo).Start();
        await EventuallyStored(silo, AllConfirmed, "the anchor is found on chain");

        var step = Assert.Single((await Anchor(silo).GetStatus())!.Steps);
        Assert.True(step.FoundOnChain);
        Assert.Empty(step.Hashes);
        Assert.Equal(expected, RootBytes(batch.Root!));
        Assert.Single(await AnchoredEventsAsync());
        Assert.Equal(nonce, await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct));
    }

    [Fact]
    public async Task Anchor_AnotherRootOnChain_StopsInConflictAndLogsAnError()
    {
        var other = EpochBatchTree.Build([new EpochLeaf(Chain.Node.Wallet(5).Address, 1, 0)]).Root;
        await Chain.Distributor.AnchorAsync(Chain.Anchor, TenOnChain, other, Ct);
        var silo = await StartAnchoringSiloAsync();
        await CloseTenAsync(silo);

        await Anchor(silo).Start();
        await EventuallyStored(silo, state => state.Steps.Any(step => step.State == AnchorState.Conflict), "the conflict is recorded");

        Assert.Equal(AnchorState.Conflict, (await Anchor(silo).GetStatus())!.State);
        Assert.Contains(silo.Logs.Lines, entry => entry.EventId.Id == 4205 && entry.Level == LogLevel.Error);
        Assert.Equal(other, await Chain.Distributor.AnchoredRootAsync(TenOnChain, Ct));
        Assert.Single(await Chain.Distributor.GetEventsAsync("Anchored", cancellationToken: Ct), e => (BigInteger)e.Arguments["epoch"] == TenOnChain);
    }

    [Fact]
    public async Task Anchor_EpochWithoutRoot_IsMarkedNothingWithNoTransaction()
    {
        var silo = await StartAnchoringSiloAsync();
        MoveTo(Ten.AddHours(1).AddMinutes(3));
        var batch = await silo.Grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(Ten)).Close();
        var nonce = await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct);

        await Anchor(silo).Start();

        Assert.Null(batch.Root);
        var status = (await Anchor(silo).GetStatus())!;
        Assert.Equal(AnchorState.Nothing, status.State);
        Assert.Empty(status.Steps);
        Assert.Equal(nonce, await Chain.Node.Rpc.GetTransactionCountAsync(Chain.Anchor.Address, "latest", Ct));
        Assert.Empty(await AnchoredEventsAsync());
    }

    [Fact]
    public async Task Anchor_EpochWithASlash_ReducesTheOnChainStakeOnce()
    {
        var stake = Ichat(1_000_000);
        var operatorSender = Chain.Node.Sender(4);
        await Chain.FundAsync(operatorSender.Address, stake);
        await Chain.TokenContract.ApproveAsync(operatorSender, Chain.Staking.Address, stake, Ct);
        await Chain.Staking.StakeAsync(operatorSender, stake, Ct);
        var silo = await StartAnchoringSiloAsync();
        var batch = await CloseTenAsync(silo, severeLoss: true);
        var slash = Assert.Single(batch.Leaves).Slash;
        Assert.True(slash > UInt128.Zero);

        await Anchor(silo).Start();
        await EventuallyStored(silo, state => state.Steps.Count == 2 && AllConfirmed(state), "the anchor and the slash are confirmed");
        await Anchor(silo).Start();

        Assert.Equal(stake - slash, (await Chain.Staking.StakeOfAsync(Operator, Ct)).Active);
        Assert.Equal(Ichat(1_000_000), (await Account(silo, Operator).GetAccount()).Stake);
        Assert.True(await Chain.Staking.SlashedAsync(Operator, TenOnChain, Ct));
        var slashed = (await Chain.Staking.GetEventsAsync("Slashed", cancellationToken: Ct)).Where(e => (BigInteger)e.Arguments["epoch"] == TenOnChain).ToArray();
        Assert.Single(slashed);
        var again = await Assert.ThrowsAsync<ContractRevertedException>(() => Chain.Staking.SlashAsync(Chain.Anchor, Operator, slash, TenOnChain, Ct));
        Assert.Equal("AlreadySlashed", again.Error?.Name);
    }
}
