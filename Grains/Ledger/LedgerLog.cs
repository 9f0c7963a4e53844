using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Ledger;

/// <summary>Log messages of the ledger grains (event ids 3201–3299). Entry ids and keys are not secret; amounts stay out of logs.</summary>
internal static partial class LedgerLog
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Debug, Message = "{Grain} applied entry {EntryId} ({Operation})")]
    public static partial void Applied(ILogger logger, GrainId grain, string entryId, string operation);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Debug, Message = "{Grain} refused entry {EntryId} ({Operation}): {Status}")]
    public static partial void Refused(ILogger logger, GrainId grain, string entryId, string operation, EntryStatus status);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "{Grain} could not deliver the credit of entry {EntryId} to {Target}; it stays in the outbox and is tried again")]
    public static partial void DeliveryFailed(ILogger logger, GrainId grain, string entryId, string target, Exception exception);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Error, Message = "{Grain}: {Target} answered {Status} to the credit of entry {EntryId}; it stays in the outbox and is tried again")]
    public static partial void CreditRefused(ILogger logger, GrainId grain, string entryId, string target, EntryStatus status);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "{Grain}: the credit of entry {EntryId} to {Target} did not land within {Wait}; the call returns with it outgoing and it is confirmed when it lands")]
    public static partial void CreditStillInFlight(ILogger logger, GrainId grain, string entryId, string target, TimeSpan wait);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Information, Message = "{Grain} delivers {Count} undelivered credits again")]
    public static partial void RetryingOutbox(ILogger logger, GrainId grain, int count);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Debug, Message = "{Grain} has no undelivered credit; its outbox reminder is removed")]
    public static partial void OutboxEmpty(ILogger logger, GrainId grain);

    [LoggerMessage(EventId = 3208, Level = LogLevel.Warning, Message = "{Grain} failed to persist a change ({ExceptionType}); the activation is dropped and the next call reloads the stored state")]
    public static partial void WriteFailed(ILogger logger, GrainId grain, string exceptionType);

    [LoggerMessage(EventId = 3209, Level = LogLevel.Warning, Message = "{Grain} could not record that the credit of entry {EntryId} landed ({ExceptionType}); it is delivered again later and answered as already applied")]
    public static partial void ConfirmFailed(ILogger logger, GrainId grain, string entryId, string exceptionType);
}
