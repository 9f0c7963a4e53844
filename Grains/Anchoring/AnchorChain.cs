using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Sending;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>
/// What anchoring sends with: the one sender of the anchor account (it must be the only process sending from that
/// account, see <see cref="TransactionSender"/>) and the two contracts it holds ANCHOR_ROLE on.
/// </summary>
public sealed class AnchorChain
{
    public AnchorChain(TransactionSender sender, RewardDistributorContract distributor, RelayStakingContract staking)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(distributor);
        ArgumentNullException.ThrowIfNull(staking);
        Sender = sender;
        Distributor = distributor;
        Staking = staking;
    }

    public TransactionSender Sender { get; }

    public RewardDistributorContract Distributor { get; }

    public RelayStakingContract Staking { get; }
}
