using System.Numerics;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;

namespace NexusOrleans.Chain.Contracts;

/// <summary>An operator's stake: active (counts for <c>isRelay</c>), pending (asked back) and when pending unlocks (unix seconds).</summary>
public sealed record StakeInfo(UInt128 Active, UInt128 Pending, ulong UnlockAt);

/// <summary>RelayStaking: operators lock tokens to be relays; the anchor worker slashes once per (operator, epoch).</summary>
public sealed class RelayStakingContract(EthRpcClient rpc, string address) : ChainContract(rpc, ContractArtifact.RelayStaking, address)
{
    public Task<MinedTransaction> StakeAsync(TransactionSender operatorSender, UInt128 amount, CancellationToken cancellationToken = default) =>
        SendAsync(operatorSender, Request("stake", amount), cancellationToken);

    public Task<MinedTransaction> RequestUnstakeAsync(TransactionSender operatorSender, UInt128 amount, CancellationToken cancellationToken = default) =>
        SendAsync(operatorSender, Request("requestUnstake", amount), cancellationToken);

    public Task<MinedTransaction> WithdrawAsync(TransactionSender operatorSender, CancellationToken cancellationToken = default) =>
        SendAsync(operatorSender, Request("withdraw"), cancellationToken);

    /// <summary>The slash of <paramref name="amount"/> for <paramref name="epoch"/>; ANCHOR_ROLE only, once per (operator, epoch).</summary>
    public TransactionRequest SlashRequest(string operatorAddress, UInt128 amount, ulong epoch) => Request("slash", operatorAddress, amount, epoch);

    public Task<MinedTransaction> SlashAsync(TransactionSender anchorSender, string operatorAddress, UInt128 amount, ulong epoch, CancellationToken cancellationToken = default) =>
        SendAsync(anchorSender, SlashRequest(operatorAddress, amount, epoch), cancellationToken);

    public async Task<bool> IsRelayAsync(string operatorAddress, CancellationToken cancellationToken = default) =>
        (bool)(await CallAsync("isRelay", [operatorAddress], cancellationToken).ConfigureAwait(false))[0];

    public async Task<StakeInfo> StakeOfAsync(string operatorAddress, CancellationToken cancellationToken = default)
    {
        var values = await CallAsync("stakeOf", [operatorAddress], cancellationToken).ConfigureAwait(false);
        return new StakeInfo((UInt128)(BigInteger)values[0], (UInt128)(BigInteger)values[1], (ulong)(BigInteger)values[2]);
    }

    public async Task<bool> SlashedAsync(string operatorAddress, ulong epoch, CancellationToken cancellationToken = default) =>
        (bool)(await CallAsync("slashed", [operatorAddress, epoch], cancellationToken).ConfigureAwait(false))[0];

    public async Task<UInt128> MinimumStakeAsync(CancellationToken cancellationToken = default) =>
        (UInt128)(BigInteger)(await CallAsync("minimumStake", [], cancellationToken).ConfigureAwait(false))[0];

    public async Task<string> TokenAsync(CancellationToken cancellationToken = default) =>
        (string)(await CallAsync("token", [], cancellationToken).ConfigureAwait(false))[0];

    public async Task<byte[]> RoleAsync(string roleName, CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync(roleName, [], cancellationToken).ConfigureAwait(false))[0];

    public Task<MinedTransaction> GrantRoleAsync(TransactionSender admin, byte[] role, string account, CancellationToken cancellationToken = default) =>
        SendAsync(admin, Request("grantRole", role, account), cancellationToken);

    public async Task<bool> HasRoleAsync(byte[] role, string account, CancellationToken cancellationToken = default) =>
        (bool)(await CallAsync("hasRole", [role, account], cancellationToken).ConfigureAwait(false))[0];
}
