namespace NexusOrleans.Runtime;

/// <summary>
/// A call failed because its grain could not be activated: the constructor, the state read or
/// <see cref="Grain.OnActivateAsync"/> threw. The activation was discarded; the next call tries again.
/// The original error is the inner exception.
/// </summary>
public sealed class GrainActivationException(GrainId grainId, string stage, Exception innerException)
    : Exception($"Activation of grain {grainId} failed while {stage}: {innerException.Message}", innerException)
{
    /// <summary>The grain that failed to activate.</summary>
    public GrainId GrainId { get; } = grainId;
}

/// <summary>
/// The silo cannot take this call: it is shutting down or not started, or (in a cluster, as a subclass says) the grain's
/// partition is owned elsewhere or by nobody at the moment. Nothing was done; retrying on a running silo is safe.
/// </summary>
public class SiloUnavailableException(string message) : Exception(message);
