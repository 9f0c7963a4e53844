using System.Numerics;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Chain.Tests.Anvil;

/// <summary>The typed contract wrappers against the committed artifacts deployed on a real anvil.</summary>
[Trait("Category", "E2E")]
public sealed class ContractTests
{
    private static readonly UInt128 MinimumStake = (UInt128)1_000_000 * DeployedChain.Token;

    [Fact]
    public async Task Deploy_AsDeployLocalDoes_WiresTokenAndRoles()
    {
        await using var chain = await DeployedChain.StartAsync();

        Assert.Equal(chain.Distributor.Address, await chain.TokenContract.MinterAsync(TestContext.Current.CancellationToken), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(chain.TokenContract.Address, await chain.Staking.TokenAsync(TestContext.Current.CancellationToken), StringComparer.OrdinalIgnoreCase);
        Assert.True(await chain.Distributor.HasRoleAsync(await chain.Distributor.AnchorRoleAsync(TestContext.Current.CancellationToken), chain.Anchor.Address, TestContext.Current.CancellationToken));
        Assert.True(await chain.Staking.HasRoleAsync(await chain.Staking.RoleAsync("ANCHOR_ROLE", TestContext.Current.CancellationToken), chain.Anchor.Address, TestContext.Current.CancellationToken));
        Assert.True(await chain.Staking.HasRoleAsync(await chain.Staking.RoleAsync("GOVERNANCE_ROLE", TestContext.Current.CancellationToken), chain.Node.Wallet(2).Address, TestContext.Current.CancellationToken));
        Assert.False(await chain.Distributor.HasRoleAsync(await chain.Distributor.AnchorRoleAsync(TestContext.Current.CancellationToken), chain.Deployer.Address, TestContext.Current.CancellationToken));
        Assert.Equal(MinimumStake, await chain.Staking.MinimumStakeAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Stake_BelowThenUpToMinimum_IsRelayOnlyOnceAtMinimum()
    {
        await using var chain = await DeployedChain.StartAsync();
        var operatorSender = chain.Node.Sender(3);
        await chain.FundAsync(operatorSender.Address, 2 * MinimumStake);
        await chain.TokenContract.ApproveAsync(operatorSender, chain.Staking.Address, 2 * MinimumStake, TestContext.Current.CancellationToken);

        await chain.Staking.StakeAsync(operatorSender, MinimumStake - 1, TestContext.Current.CancellationToken);
        Assert.False(await chain.Staking.IsRelayAsync(operatorSender.Address, TestContext.Current.CancellationToken));

        var mined = await chain.Staking.StakeAsync(operatorSender, MinimumStake, TestContext.Current.CancellationToken);
        Assert.True(await chain.Staking.IsRelayAsync(operatorSender.Address, TestContext.Current.CancellationToken));
        Assert.Equal(new StakeInfo(2 * MinimumStake - 1, 0, 0), await chain.Staking.StakeOfAsync(operatorSender.Address, TestContext.Current.CancellationToken));
        var staked = Assert.Single(chain.Staking.EventsIn(mined.Receipt, "Staked"));
        Assert.Equal(operatorSender.Address, (string)staked.Arguments["operator"]);
        Assert.Equal((BigInteger)(2 * MinimumStake - 1), staked.Arguments["active"]);
    }

    [Fact]
    public async Task Claim_WithProofFromEpochBatchTree_MintsTheRewardOnce()
    {
        await using var chain = await DeployedChain.StartAsync();
        var alice = chain.Node.Wallet(4).Address;
        var bob = chain.Node.Wallet(5).Address;
        var carol = chain.Node.Wallet(6).Address;
        var leaves = new[] { new EpochLeaf(alice, 7 * DeployedChain.Token, 0), new EpochLeaf(bob, 3 * DeployedChain.Token, DeployedChain.Token), new EpochLeaf(carol, 1, 2) };
        var tree = EpochBatchTree.Build(leaves);
        await chain.Distributor.AnchorAsync(chain.Anchor, 42, tree.Root, TestContext.Current.CancellationToken);

        var mined = await chain.Distributor.ClaimAsync(chain.Deployer, 42, bob, leaves[1].Reward, leaves[1].Slash, tree.GetProof(1), TestContext.Current.CancellationToken);

        Assert.Equal(3 * DeployedChain.Token, await chain.TokenContract.BalanceOfAsync(bob, TestContext.Current.CancellationToken));
        Assert.True(await chain.Distributor.ClaimedAsync(42, bob, TestContext.Current.CancellationToken));
        Assert.False(await chain.Distributor.ClaimedAsync(42, alice, TestContext.Current.CancellationToken));
        var claimed = Assert.Single(chain.Distributor.EventsIn(mined.Receipt, "Claimed"));
        Assert.Equal($"Claimed(epoch 42, account {bob}, reward {3 * DeployedChain.Token}, slash {DeployedChain.Token})", claimed.ToString());

        var again = await Assert.ThrowsAsync<ContractRevertedException>(
            () => chain.Distributor.ClaimAsync(chain.Deployer, 42, bob, leaves[1].Reward, leaves[1].Slash, tree.GetProof(1), TestContext.Current.CancellationToken));
        Assert.Equal("AlreadyClaimed", again.Error?.Name);
        Assert.Contains($"AlreadyClaimed(epoch 42, account {bob})", again.Message, StringComparison.Ordinal);
        Assert.Equal(3 * DeployedChain.Token, await chain.TokenContract.BalanceOfAsync(bob, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Claim_WrongAmount_FailsWithInvalidProof()
    {
        await using var chain = await DeployedChain.StartAsync();
        var alice = chain.Node.Wallet(4).Address;
        var tree = EpochBatchTree.Build([new EpochLeaf(alice, 5, 0), new EpochLeaf(chain.Node.Wallet(5).Address, 6, 0)]);
        await chain.Distributor.AnchorAsync(chain.Anchor, 7, tree.Root, TestContext.Current.CancellationToken);

        var failure = await Assert.ThrowsAsync<ContractRevertedException>(() => chain.Distributor.ClaimAsync(chain.Deployer, 7, alice, 6, 0, tree.GetProof(0), TestContext.Current.CancellationToken));

        Assert.Equal($"RewardDistributor.claim reverted: InvalidProof(epoch 7, account {alice}, reward 6, slash 0)", failure.Message);
    }

    [Fact]
    public async Task Anchor_SameEpochTwice_FailsWithEpochAlreadyAnchored()
    {
        await using var chain = await DeployedChain.StartAsync();
        var first = EpochBatchTree.Build([new EpochLeaf(chain.Node.Wallet(4).Address, 1, 0)]);
        var second = EpochBatchTree.Build([new EpochLeaf(chain.Node.Wallet(4).Address, 2, 0)]);
        var mined = await chain.Distributor.AnchorAsync(chain.Anchor, 5, first.Root, TestContext.Current.CancellationToken);

        var failure = await Assert.ThrowsAsync<ContractRevertedException>(() => chain.Distributor.AnchorAsync(chain.Anchor, 5, second.Root, TestContext.Current.CancellationToken));

        Assert.Equal("RewardDistributor.anchor reverted: EpochAlreadyAnchored(epoch 5)", failure.Message);
        Assert.Equal(first.Root, await chain.Distributor.AnchoredRootAsync(5, TestContext.Current.CancellationToken));
        var anchored = Assert.Single(chain.Distributor.EventsIn(mined.Receipt, "Anchored"));
        Assert.Equal((BigInteger)5, anchored.Arguments["epoch"]);
        Assert.Equal(first.Root, (byte[])anchored.Arguments["root"]);
        Assert.Equal(chain.Anchor.Address, (string)anchored.Arguments["anchoredBy"]);
    }

    [Fact]
    public async Task Anchor_ByAnAccountWithoutTheRole_FailsWithAccessControlError()
    {
        await using var chain = await DeployedChain.StartAsync();
        var tree = EpochBatchTree.Build([new EpochLeaf(chain.Node.Wallet(4).Address, 1, 0)]);

        var failure = await Assert.ThrowsAsync<ContractRevertedException>(() => chain.Distributor.AnchorAsync(chain.Deployer, 1, tree.Root, TestContext.Current.CancellationToken));

        Assert.Equal("AccessControlUnauthorizedAccount", failure.Error?.Name);
        Assert.Equal(chain.Deployer.Address, (string)failure.Error!.Arguments["account"]);
        Assert.Equal(new byte[32], await chain.Distributor.AnchoredRootAsync(1, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Slash_SameEpochTwice_ReducesStakeOnceThenFailsWithAlreadySlashed()
    {
        await using var chain = await DeployedChain.StartAsync();
        var operatorSender = chain.Node.Sender(3);
        await chain.FundAsync(operatorSender.Address, MinimumStake);
        await chain.TokenContract.ApproveAsync(operatorSender, chain.Staking.Address, MinimumStake, TestContext.Current.CancellationToken);
        await chain.Staking.StakeAsync(operatorSender, MinimumStake, TestContext.Current.CancellationToken);
        var supply = await chain.TokenContract.TotalSupplyAsync(TestContext.Current.CancellationToken);

        var mined = await chain.Staking.SlashAsync(chain.Anchor, operatorSender.Address, 1000, 9, TestContext.Current.CancellationToken);
        var failure = await Assert.ThrowsAsync<ContractRevertedException>(() => chain.Staking.SlashAsync(chain.Anchor, operatorSender.Address, 1000, 9, TestContext.Current.CancellationToken));

        Assert.Equal($"RelayStaking.slash reverted: AlreadySlashed(operator {operatorSender.Address}, epoch 9)", failure.Message);
        Assert.Equal(new StakeInfo(MinimumStake - 1000, 0, 0), await chain.Staking.StakeOfAsync(operatorSender.Address, TestContext.Current.CancellationToken));
        Assert.True(await chain.Staking.SlashedAsync(operatorSender.Address, 9, TestContext.Current.CancellationToken));
        Assert.False(await chain.Staking.IsRelayAsync(operatorSender.Address, TestContext.Current.CancellationToken));
        Assert.Equal(supply - 1000, await chain.TokenContract.TotalSupplyAsync(TestContext.Current.CancellationToken));
        var slashed = Assert.Single(chain.Staking.EventsIn(mined.Receipt, "Slashed"));
        Assert.Equal((BigInteger)1000, slashed.Arguments["fromActive"]);
        Assert.Single(await chain.Staking.GetEventsAsync("Slashed", cancellationToken: TestContext.Current.CancellationToken));
    }
}
