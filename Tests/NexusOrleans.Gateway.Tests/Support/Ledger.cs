using NexusOrleans.Grains.Ledger;
using NexusOrleans.Runtime;

namespace NexusOrleans.Gateway.Tests.Support;

/// <summary>Puts stake where the relay tests need it (through the fake account grain until the ledger is on this branch).</summary>
public static class Ledger
{
    /// <summary>Gives <paramref name="address"/> <paramref name="amount"/> and stakes all of it.</summary>
    public static async Task StakeAsync(IGrainFactory grains, string address, UInt128 amount)
    {
        var account = grains.GetGrain<IAccountGrain>(LedgerAccounts.Normalize(address));
        var entry = Guid.NewGuid().ToString("n");
        Assert.True((await account.Credit($"fund-{entry}", amount)).Succeeded);
        Assert.True((await account.Stake($"stake-{entry}", amount)).Succeeded);
    }
}
