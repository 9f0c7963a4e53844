using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Catalog;

/// <summary>
/// Where the catalog meets the cluster. Kept apart from the local routing so that a single silo (no cluster) pays one
/// null check on a route-cache miss, and a call through a reference's route cache pays nothing.
/// </summary>
/// <remarks>
/// Local or remote is decided on every route-cache miss by <see cref="IPartitionDirectory.Lookup"/>: a partition this
/// silo owns is served here, any other is forwarded by <see cref="ClusterRouter"/>. Observers are routed by the process
/// their key names. Calls arriving from other processes count as outside calls (refused while draining) and are
/// answered with a redirect when this silo's own view says it does not own the grain.
/// </remarks>
internal sealed partial class Catalog
{
    private ClusterRouter? _cluster;

    public void AttachCluster(ClusterRouter router)
    {
        _cluster = router;
        router.DeliverLocally = (grainId, request) => RouteLocal(grainId, request, reference: null);
    }

    /// <summary>Delivers a call from another process, or returns the owner it should have gone to.</summary>
    public PartitionOwner? DeliverFromRemote(GrainId target, GrainRequest request)
    {
        if (_phase != SiloPhase.Running)
        {
            request.Fail(Unavailable());
            return null;
        }

        if (target.Type == GrainType.Observer)
        {
            _observers.Deliver(target, request);
            return null;
        }

        var owner = _cluster!.Directory.Lookup(target);
        if (!owner.IsLocal)
        {
            return owner;
        }

        RouteLocal(target, request, reference: null);
        return null;
    }

    private bool TryRouteRemote(GrainId grainId, GrainRequest request) => _cluster is { } cluster && cluster.TryForward(grainId, request);

    private void RouteObserver(GrainId observerId, GrainRequest request)
    {
        if (_cluster is { } cluster && ObserverKey.HostOf(observerId) is { } host && host != cluster.Local)
        {
            cluster.SendToObserver(host, observerId, request);
            return;
        }

        _observers.Deliver(observerId, request);
    }
}
