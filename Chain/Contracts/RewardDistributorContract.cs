using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;

namespace NexusOrleans.Chain.Contracts;

/// <summary>The RewardDistributor: anchors each epoch's batch root (ANCHOR_ROLE) and pays claims proven against it.</summary>
public sealed class RewardDistributorContract(EthRpcClient rpc, string address) : ChainContract(rpc, ContractArtifact.RewardDistributor, address)
{
    /// <summary>The transaction that anchors <paramref name="root"/> for <paramref name="epoch"/>; what the anchor worker persists and sends.</summary>
    public TransactionRequest AnchorRequest(ulong epoch, byte[] root) => Request("anchor", epoch, root);

    public Task<MinedTransaction> AnchorAsync(TransactionSender sender, ulong epoch, byte[] root, CancellationToken cancellationToken = default) =>
        SendAsync(sender, AnchorRequest(epoch, root), cancellationToken);

    /// <summary>The root anchored for <paramref name="epoch"/>; 32 zero bytes when none is.</summary>
    public async Task<byte[]> AnchoredRootAsync(ulong epoch, CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync("anchoredRoot", [epoch], cancellationToken).ConfigureAwait(false))[0];

    public TransactionRequest ClaimRequest(ulong epoch, string account, UInt128 reward, UInt128 slash, IEnumerable<byte[]> proof) =>
        Request("claim", epoch, account, reward, slash, proof.ToArray());

    public Task<MinedTransaction> ClaimAsync(TransactionSender sender, ulong epoch, string account, UInt128 reward, UInt128 slash, IEnumerable<byte[]> proof, CancellationToken cancellationToken = default) =>
        SendAsync(sender, ClaimRequest(epoch, account, reward, slash, proof), cancellationToken);

    public async Task<bool> ClaimedAsync(ulong epoch, string account, CancellationToken cancellationToken = default) =>
        (bool)(await CallAsync("claimed", [epoch, account], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The IChatToken this distributor deployed and alone may mint.</summary>
    public async Task<string> TokenAsync(CancellationToken cancellationToken = default) =>
        (string)(await CallAsync("token", [], cancellationToken).ConfigureAwait(false))[0];

    public async Task<byte[]> AnchorRoleAsync(CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync("ANCHOR_ROLE", [], cancellationToken).ConfigureAwait(false))[0];

    public Task<MinedTransaction> GrantRoleAsync(TransactionSender admin, byte[] role, string account, CancellationToken cancellationToken = default) =>
        SendAsync(admin, Request("grantRole", role, account), cancellationToken);

    public async Task<bool> HasRoleAsync(byte[] role, string account, CancellationToken cancellationToken = default) =>
        (bool)(await CallAsync("hasRole", [role, account], cancellationToken).ConfigureAwait(false))[0];
}
