namespace NexusOrleans.Runtime;

/// <summary>
/// Marker for observer interfaces: objects outside the grain world (such as the gateway's per-socket handlers)
/// that grains push to. Create a reference with <see cref="IGrainFactory.CreateObjectReference{TObserver}"/>.
/// Methods follow the same rules as grain interface methods.
/// </summary>
public interface IGrainObserver : IAddressable;

/// <summary>The observer a call was addressed to no longer exists (its reference was deleted).</summary>
public sealed class ObserverNotFoundException(GrainId observerId)
    : Exception($"Observer {observerId} no longer exists: its reference was deleted. Drop the subscription.")
{
    /// <summary>The observer's id.</summary>
    public GrainId ObserverId { get; } = observerId;
}
