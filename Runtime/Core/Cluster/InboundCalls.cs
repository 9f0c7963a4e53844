// Runs calls that arrive from other processes through this process's normal local path, and turns their outcome into
// an answer.
//
// The request is created from its wire name (GrainRequestRegistry), its arguments are read into it, and it is handed to
// the local delivery function, which either queues it (for an activation or an observer) or declines with this
// process's view of the owner, which goes back as a redirect: the call did not run. A NotPartitionOwnerException from
// the activation path is a redirect too. Any other exception goes back as its type name and message. A call whose
// time budget had already run out on arrival is refused without running.
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Cluster.Serialization;
using NexusOrleans.Runtime.Cluster.Transport;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>Queues a call locally, or returns the owner to redirect to without touching the request.</summary>
internal delegate PartitionOwner? LocalDelivery(GrainId target, GrainRequest request);

internal sealed partial class InboundCalls(LocalDelivery deliver, CallSerializer serializer, ILogger logger) : IInboundCallHandler
{
    public async Task<ResponseMessage> HandleAsync(CallMessage call)
    {
        if (call.TimeoutMs == 0)
        {
            return ResponseMessage.Error(call.CallId, typeof(TimeoutException).FullName!, $"{call.WireName} on {call.Target} arrived after its deadline and did not run.");
        }

        if (!GrainRequestRegistry.Shared.TryCreate(call.WireName, out var request))
        {
            LogUnknownMethod(logger, call.WireName);
            return ResponseMessage.Error(call.CallId, typeof(InvalidOperationException).FullName!,
                $"No grain or observer interface method '{call.WireName}' is known in the receiving process; are both sides built from the same interfaces?");
        }

        try
        {
            serializer.ReadArguments(request, call.Arguments);
        }
        catch (Exception exception)
        {
            return ResponseMessage.Error(call.CallId, typeof(ArgumentException).FullName!, $"The arguments of {request.MethodName} could not be read: {exception.Message}");
        }

        var outcome = request.Outcome!;
        if (deliver(call.Target, request) is { } owner)
        {
            return new ResponseMessage(call.CallId, ResponseStatus.Redirect, Owner: owner);
        }

        try
        {
            // Forced off the completing thread: that is the activation's, and the answer's serialization and write
            // must not run inside its turn.
            await outcome.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            return new ResponseMessage(call.CallId, ResponseStatus.Ok, Result: serializer.WriteResult(request));
        }
        catch (NotPartitionOwnerException exception)
        {
            return new ResponseMessage(call.CallId, ResponseStatus.Redirect, Owner: exception.Owner);
        }
        catch (Exception exception)
        {
            return ResponseMessage.Error(call.CallId, RemoteExceptions.TypeName(exception), exception.Message);
        }
    }

    [LoggerMessage(EventId = 2630, Level = LogLevel.Warning, Message = "A call to unknown method {WireName} arrived; answered with an error")]
    private static partial void LogUnknownMethod(ILogger logger, string wireName);
}
