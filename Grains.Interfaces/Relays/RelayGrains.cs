using NexusOrleans.Grains.Ledger;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Relays;

/// <summary>Where the relay grains are.</summary>
public static class RelayGrains
{
    /// <summary>The key of the one <see cref="IRelayDirectoryGrain"/>.</summary>
    public const string DirectoryKey = "directory";

    /// <summary>The relay directory.</summary>
    public static IRelayDirectoryGrain GetRelayDirectory(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IRelayDirectoryGrain>(DirectoryKey);
    }

    /// <summary>The operator grain of an address in any case (EIP-55 or not); throws <see cref="ArgumentException"/> when it is not an address.</summary>
    public static IRelayOperatorGrain GetRelayOperator(this IGrainFactory grains, string operatorAddress)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IRelayOperatorGrain>(LedgerAccounts.Normalize(operatorAddress));
    }
}
