namespace NexusOrleans.Runtime;

/// <summary>
/// The connection to the process running a call was lost after the call was sent and before its answer came back.
/// The call may or may not have run there: retry it when the method is idempotent (ledger entries and inbox deposits
/// are, by their ids), which is what this exception is for. Compare <see cref="SiloUnavailableException"/>, after
/// which the call certainly did not run.
/// </summary>
public sealed class CallInterruptedException(string message, Exception? innerException = null) : Exception(message, innerException);
