namespace NexusOrleans.Runtime.Cluster.Transport;

/// <summary>What an incoming call is handed to: the silo's catalog, or a client that hosts observers only.</summary>
internal interface IInboundCallHandler
{
    /// <summary>Answers one call from another process; never throws.</summary>
    Task<ResponseMessage> HandleAsync(CallMessage call);
}
