using NexusOrleans.Grains.Ledger;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Relays.Stake;

/// <summary>The stake in the cluster's ledger (<c>ichat stake</c>): the embedded default, with no chain configured.</summary>
public sealed class LedgerOperatorStake : IOperatorStake
{
    /// <inheritdoc />
    public async Task<OperatorStakeReading> ReadAsync(IGrainFactory grains, string operatorAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var account = await grains.GetGrain<IAccountGrain>(operatorAddress).GetAccount();
        return OperatorStakeReading.FromLedger(account.Stake);
    }
}
