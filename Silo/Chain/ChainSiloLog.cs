namespace NexusOrleans.Silo.Chain;

/// <summary>The silo's chain log events (42xx, shared with anchoring). The account's address only, never its key.</summary>
internal static partial class ChainSiloLog
{
    [LoggerMessage(EventId = 4250, Level = LogLevel.Information, Message = "Anchoring is on: account {Account}, distributor {Distributor}, staking {Staking}, node {Endpoint}")]
    public static partial void AnchoringEnabled(ILogger logger, string account, string distributor, string staking, Uri endpoint);
}
