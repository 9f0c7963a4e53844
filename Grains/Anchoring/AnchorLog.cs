using Microsoft.Extensions.Logging;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>Anchoring's log events (4200–4299). Epochs, hashes, nonces and blocks only; never a key.</summary>
internal static partial class AnchorLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Anchoring epoch {Epoch} (chain epoch {ChainEpoch}, root {Root}): {Steps} transaction(s)")]
    public static partial void Queued(ILogger logger, string epoch, ulong chainEpoch, string root, int steps);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Epoch {Epoch} has no root: nothing to anchor")]
    public static partial void NothingToAnchor(ILogger logger, string epoch);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Epoch {Epoch}: {Kind} ({Operator}) sent with nonce {Nonce} as {Hash}")]
    public static partial void Sent(ILogger logger, string epoch, Grains.Anchoring.AnchorStepKind kind, string @operator, ulong nonce, string hash);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Epoch {Epoch}: {Kind} ({Operator}) confirmed as {Hash} in block {Block}")]
    public static partial void Confirmed(ILogger logger, string epoch, Grains.Anchoring.AnchorStepKind kind, string @operator, string hash, ulong block);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Epoch {Epoch}: {Kind} ({Operator}) is already on chain; nothing sent")]
    public static partial void FoundOnChain(ILogger logger, string epoch, Grains.Anchoring.AnchorStepKind kind, string @operator);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Error, Message = "Epoch {Epoch}: the chain holds root {Found} for chain epoch {ChainEpoch}, but the cluster's batch has root {Root}; anchoring stops here and needs a person to look")]
    public static partial void Conflict(ILogger logger, string epoch, ulong chainEpoch, string found, string root);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning, Message = "Anchoring epoch {Epoch} failed ({Failures} time(s) running) with {ExceptionType}: {Reason}; next try in {Delay}")]
    public static partial void Failed(ILogger logger, string epoch, int failures, string exceptionType, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Information, Message = "Epoch {Epoch} is anchored: every transaction confirmed")]
    public static partial void Anchored(ILogger logger, string epoch);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Warning, Message = "Epoch {Epoch}: {Kind} ({Operator}) confirmed as {Hash} in block {Block} ({BlockHash}) is no longer on chain, taken away by a reorg deeper than the confirmations waited for; sending it again")]
    public static partial void ReorgedAway(ILogger logger, string epoch, Grains.Anchoring.AnchorStepKind kind, string @operator, string hash, string block, string blockHash);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Warning, Message = "Could not hand epoch {Epoch} to anchoring ({ExceptionType}: {Reason}); the scheduler tries again on its next tick")]
    public static partial void HandOffFailed(ILogger logger, string epoch, string exceptionType, string reason);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Epoch {Epoch} is still anchored {WatchFor} after its confirmation; the watch for a deeper reorg is over")]
    public static partial void WatchOver(ILogger logger, string epoch, TimeSpan watchFor);
}
