using System.Numerics;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;

namespace NexusOrleans.Chain.Contracts;

/// <summary>The iChat ERC-20 (18 decimals); only the RewardDistributor mints.</summary>
public sealed class IChatTokenContract(EthRpcClient rpc, string address) : ChainContract(rpc, ContractArtifact.IChatToken, address)
{
    public async Task<UInt128> BalanceOfAsync(string account, CancellationToken cancellationToken = default) =>
        (UInt128)(BigInteger)(await CallAsync("balanceOf", [account], cancellationToken).ConfigureAwait(false))[0];

    public async Task<UInt128> TotalSupplyAsync(CancellationToken cancellationToken = default) =>
        (UInt128)(BigInteger)(await CallAsync("totalSupply", [], cancellationToken).ConfigureAwait(false))[0];

    public Task<MinedTransaction> ApproveAsync(TransactionSender owner, string spender, UInt128 amount, CancellationToken cancellationToken = default) =>
        SendAsync(owner, Request("approve", spender, amount), cancellationToken);

    public async Task<string> MinterAsync(CancellationToken cancellationToken = default) =>
        (string)(await CallAsync("minter", [], cancellationToken).ConfigureAwait(false))[0];
}
