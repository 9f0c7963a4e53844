using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Chain.Tests.Anvil;

/// <summary>A fresh anvil with the contracts deployed as contracts/deploy-local.mjs deploys them (account 0 deploys, 1 anchors, 2 governs).</summary>
public sealed class DeployedChain : IAsyncDisposable
{
    public const ulong Token = 1_000_000_000_000_000_000;

    private static ulong _fundingEpoch = 1_000_000_000;

    private DeployedChain(AnvilNode node, ChainDeployment deployment, TransactionSender deployer, TransactionSender anchor)
    {
        Node = node;
        Deployment = deployment;
        Deployer = deployer;
        Anchor = anchor;
    }

    public AnvilNode Node { get; }

    public ChainDeployment Deployment { get; }

    public TransactionSender Deployer { get; }

    public TransactionSender Anchor { get; }

    public RewardDistributorContract Distributor => Deployment.Distributor;

    public RelayStakingContract Staking => Deployment.Staking;

    public IChatTokenContract TokenContract => Deployment.Token;

    public static async Task<DeployedChain> StartAsync()
    {
        var node = await AnvilNode.StartAsync();
        try
        {
            var deployer = node.Sender(0);
            var anchor = node.Sender(1);
            var governance = node.Wallet(2).Address;
            var deployment = await ChainDeployment.DeployAsync(deployer, anchor.Address, governance);
            return new DeployedChain(node, deployment, deployer, anchor);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Gives tokens the only way there is: a batch anchored for an epoch of its own and claimed (chain.mjs's <c>fund</c>).</summary>
    public async Task FundAsync(string account, UInt128 amount)
    {
        var epoch = Interlocked.Increment(ref _fundingEpoch);
        var leaf = new EpochLeaf(account, amount, 0);
        var tree = EpochBatchTree.Build([leaf]);
        await Distributor.AnchorAsync(Anchor, epoch, tree.Root);
        await Distributor.ClaimAsync(Deployer, epoch, account, amount, 0, tree.GetProof(0));
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
