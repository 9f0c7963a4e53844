using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;

namespace NexusOrleans.Chain.Contracts;

/// <summary>
/// The three contracts deployed and wired the way contracts/deploy-local.mjs does it, each step confirmed before the
/// next: RewardDistributor(admin = deployer), which deploys the token as its own minter; RelayStaking(token, admin =
/// deployer); ANCHOR_ROLE on both to the anchor account; GOVERNANCE_ROLE on staking to the governance account when it
/// is not the deployer (the deployer holds it from the constructor).
/// </summary>
public sealed record ChainDeployment(ulong ChainId, string Deployer, string Anchor, string Governance, IChatTokenContract Token, RelayStakingContract Staking, RewardDistributorContract Distributor)
{
    public static async Task<ChainDeployment> DeployAsync(TransactionSender deployer, string anchor, string? governance = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        Protocol.Settlement.AbiEncoder.ParseAddress(anchor, nameof(anchor));
        governance ??= deployer.Address;
        Protocol.Settlement.AbiEncoder.ParseAddress(governance, nameof(governance));
        var rpc = deployer.Rpc;

        var distributorAddress = await DeployContractAsync(deployer, ContractArtifact.RewardDistributor, [deployer.Address], cancellationToken).ConfigureAwait(false);
        var distributor = new RewardDistributorContract(rpc, distributorAddress);
        var token = new IChatTokenContract(rpc, await distributor.TokenAsync(cancellationToken).ConfigureAwait(false));
        var stakingAddress = await DeployContractAsync(deployer, ContractArtifact.RelayStaking, [token.Address, deployer.Address], cancellationToken).ConfigureAwait(false);
        var staking = new RelayStakingContract(rpc, stakingAddress);

        await distributor.GrantRoleAsync(deployer, await distributor.AnchorRoleAsync(cancellationToken).ConfigureAwait(false), anchor, cancellationToken).ConfigureAwait(false);
        await staking.GrantRoleAsync(deployer, await staking.RoleAsync("ANCHOR_ROLE", cancellationToken).ConfigureAwait(false), anchor, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(governance, deployer.Address, StringComparison.OrdinalIgnoreCase))
        {
            await staking.GrantRoleAsync(deployer, await staking.RoleAsync("GOVERNANCE_ROLE", cancellationToken).ConfigureAwait(false), governance, cancellationToken).ConfigureAwait(false);
        }

        var chainId = await rpc.ChainIdAsync(cancellationToken).ConfigureAwait(false);
        return new ChainDeployment(chainId, deployer.Address, anchor, governance, token, staking, distributor);
    }

    /// <summary>Deploys <paramref name="artifact"/> with constructor arguments and returns the new contract's address.</summary>
    public static async Task<string> DeployContractAsync(TransactionSender deployer, ContractArtifact artifact, object?[] constructorArguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(artifact);
        var mined = await deployer.SendAndWaitAsync(new TransactionRequest(null, artifact.DeploymentData(constructorArguments)), cancellationToken).ConfigureAwait(false);
        return mined.Receipt.ContractAddress
            ?? throw new InvalidOperationException($"The receipt of the {artifact.Name} deployment {mined.Hash} names no contract address.");
    }

    /// <summary>The same contracts at known addresses (from a previous deployment).</summary>
    public static (IChatTokenContract Token, RelayStakingContract Staking, RewardDistributorContract Distributor) Attach(EthRpcClient rpc, string token, string staking, string distributor) =>
        (new IChatTokenContract(rpc, token), new RelayStakingContract(rpc, staking), new RewardDistributorContract(rpc, distributor));
}
