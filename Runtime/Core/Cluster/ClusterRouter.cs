// Sends calls for grains owned elsewhere, and for observers hosted elsewhere, to the process that has them.
//
// A grain call goes to the owner the partition directory names. When that silo answers with a redirect (it no longer
// owns the partition, or never did), the directory is refreshed and the call goes to the new owner, at most
// Cluster:MaxRedirects times; a redirect never means the call ran, so following it cannot run a call twice. When the
// refreshed view names this silo, the call is handed back to the local path. When no owner is known, or redirects run
// out, the call fails with SiloUnavailableException (nothing ran: retry later). A call whose connection drops after it
// was sent fails with CallInterruptedException, and one not answered in time with TimeoutException (either way it may
// have run). Observer calls go to the process their key names, without redirects.
//
// Arguments are serialized on the caller's thread before Send returns, so a caller mutating an argument afterwards
// (which it must not do) cannot change what was sent. Everything after that runs off the caller's synchronization
// context (ConfigureAwait(false)), so a grain awaiting a remote call never has routing work queued on its turn; the
// grain's own continuation still comes back to its context through the request's promise.
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Cluster.Serialization;
using NexusOrleans.Runtime.Cluster.Transport;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Cluster;

internal sealed partial class ClusterRouter(
    SiloAddress local,
    IPartitionDirectory directory,
    ConnectionPool connections,
    CallSerializer serializer,
    ClusterOptions options,
    ILogger logger)
{
    /// <summary>Runs a call on this process when a refreshed view says it owns the grain; null in a client, which owns nothing.</summary>
    public Action<GrainId, GrainRequest>? DeliverLocally { get; set; }

    public SiloAddress Local => local;

    public IPartitionDirectory Directory => directory;

    public CallSerializer Serializer => serializer;

    /// <summary>Forwards the call when the grain's partition is owned elsewhere; false (doing nothing) when it is local.</summary>
    public bool TryForward(GrainId grainId, GrainRequest request)
    {
        var owner = directory.Lookup(grainId);
        if (owner.IsLocal)
        {
            return false;
        }

        Forward(grainId, request, owner);
        return true;
    }

    /// <summary>Forwards a call by the directory's view, whatever it says (a client owns nothing).</summary>
    public void Forward(GrainId grainId, GrainRequest request) => Forward(grainId, request, directory.Lookup(grainId));

    /// <summary>Sends an observer call to the process hosting the observer.</summary>
    public void SendToObserver(SiloAddress host, GrainId observerId, GrainRequest request)
    {
        if (Serialize(observerId, request) is not { } arguments)
        {
            return;
        }

        _ = SendToObserverAsync(host, observerId, request, arguments);
    }

    private void Forward(GrainId grainId, GrainRequest request, PartitionOwner owner)
    {
        if (Serialize(grainId, request) is not { } arguments)
        {
            return;
        }

        _ = ForwardAsync(grainId, request, owner, arguments);
    }

    private byte[]? Serialize(GrainId target, GrainRequest request)
    {
        if (request.WireName is null)
        {
            request.Fail(new InvalidOperationException($"{request.MethodName} cannot be sent to {target} in another process: it is a runtime turn, not a grain call."));
            return null;
        }

        try
        {
            return serializer.WriteArguments(request);
        }
        catch (Exception exception)
        {
            request.Fail(new ArgumentException($"The arguments of {request.MethodName} cannot be sent to {target} in another process: {exception.Message}", exception));
            return null;
        }
    }

    private async Task ForwardAsync(GrainId grainId, GrainRequest request, PartitionOwner owner, byte[] arguments)
    {
        for (var redirects = 0; ; redirects++)
        {
            if (owner.IsLocal && DeliverLocally is { } deliver)
            {
                deliver(grainId, request);
                return;
            }

            if (owner.Owner is not { } address || owner.IsLocal)
            {
                request.Fail(new SiloUnavailableException(
                    $"No live owner of partition {owner.Partition} (grain {grainId}) is known; the call was not sent. Retry shortly."));
                return;
            }

            var response = await CallAsync(address, grainId, request, owner.Epoch, arguments).ConfigureAwait(false);
            if (response is null)
            {
                return;
            }

            if (response.Status != ResponseStatus.Redirect)
            {
                Complete(grainId, request, response);
                return;
            }

            var hint = response.Owner!.Value;
            LogRedirected(logger, request.MethodName, grainId, address, hint.Owner?.ToString() ?? "nobody", redirects + 1);
            if (redirects >= options.MaxRedirects)
            {
                request.Fail(new SiloUnavailableException(
                    $"{request.MethodName} on {grainId} was redirected {redirects + 1} times (last by {address}); ownership of partition {hint.Partition} is moving. Retry shortly."));
                return;
            }

            owner = await RefreshedOwnerAsync(grainId, address, hint).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The directory's view after a refresh; when it still names the silo that just redirected, that silo's own hint
    /// is newer than ours and is used instead.
    /// </summary>
    private async Task<PartitionOwner> RefreshedOwnerAsync(GrainId grainId, SiloAddress redirectedBy, PartitionOwner hint)
    {
        try
        {
            await directory.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogRefreshFailed(logger, exception.Message);
        }

        var refreshed = directory.Lookup(grainId);
        if (refreshed.Owner == redirectedBy && hint.Owner is { } hinted && hinted != redirectedBy)
        {
            return hint with { IsLocal = hinted == local };
        }

        return refreshed;
    }

    private async Task SendToObserverAsync(SiloAddress host, GrainId observerId, GrainRequest request, byte[] arguments)
    {
        if (await CallAsync(host, observerId, request, epoch: -1, arguments).ConfigureAwait(false) is { } response)
        {
            Complete(observerId, request, response);
        }
    }

    /// <summary>One round trip; null when the request has already been failed (connection, timeout).</summary>
    private async Task<ResponseMessage?> CallAsync(SiloAddress address, GrainId target, GrainRequest request, long epoch, byte[] arguments)
    {
        try
        {
            var connection = await connections.GetAsync(address).ConfigureAwait(false);
            var call = new CallMessage(0, target, request.WireName!, epoch, (uint)options.CallTimeout.TotalMilliseconds, arguments);
            return await connection.CallAsync(call, options.CallTimeout).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogCallFailed(logger, request.MethodName, target, address, exception.GetType().Name, exception.Message);
            request.Fail(exception);
            return null;
        }
    }

    private void Complete(GrainId target, GrainRequest request, ResponseMessage response)
    {
        if (response.Status == ResponseStatus.Error)
        {
            request.Fail(RemoteExceptions.Recreate(response.ErrorType!, response.ErrorMessage!, target, request.MethodName));
            return;
        }

        try
        {
            serializer.Complete(request, response.Result);
        }
        catch (Exception exception)
        {
            request.Fail(new RemoteGrainCallException(
                RemoteExceptions.TypeName(exception), $"the result could not be read: {exception.Message}", target, request.MethodName));
        }
    }

    [LoggerMessage(EventId = 2620, Level = LogLevel.Debug, Message = "{Method} on {GrainId} redirected by {RedirectedBy} to {Owner} (redirect {Count})")]
    private static partial void LogRedirected(ILogger logger, string method, GrainId grainId, SiloAddress redirectedBy, string owner, int count);

    [LoggerMessage(EventId = 2621, Level = LogLevel.Warning, Message = "Refreshing the partition directory after a redirect failed: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2622, Level = LogLevel.Debug, Message = "{Method} on {Target} via {Silo} failed with {ExceptionType}: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, string method, GrainId target, SiloAddress silo, string exceptionType, string reason);
}
