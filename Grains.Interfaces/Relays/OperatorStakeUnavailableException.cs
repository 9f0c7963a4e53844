namespace NexusOrleans.Grains.Relays;

/// <summary>
/// An operator's stake could not be read where the cluster checks it (the chain node is down or answered nonsense), so a
/// registration was neither accepted nor refused: nothing changed. Retryable: asking again once the source answers
/// gives the real answer. Relays retry by themselves every heartbeat interval.
/// </summary>
public sealed class OperatorStakeUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
