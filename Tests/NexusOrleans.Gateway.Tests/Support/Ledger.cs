using NexusOrleans.Grains.Ledger;
using NexusOrleans.Runtime;

namespace NexusOrleans.Gateway.Tests.Support;

/// <summary>Puts stake where the relay tests need it, through the ledger's own grains.</summary>
public static class Ledger
{
    /// <summary>Mints <paramref name="amount"/> to <paramref name="address"/> and stakes all of it.</summary>
    public static async Task StakeAsync(IGrainFactory grains, string address, UInt128 amount)
    {
        var account = LedgerAccounts.Normalize(address);
        var entry = Guid.NewGuid().ToString("n");
        Assert.Equal(EntryStatus.Applied, (await grains.GetGrain<ISupplyGrain>(LedgerAccounts.Supply).Mint($"mint-{entry}", account, amount)).Status);
        Assert.Equal(EntryStatus.Applied, (await grains.GetGrain<IAccountGrain>(account).Stake($"stake-{entry}", amount)).Status);
    }
}
