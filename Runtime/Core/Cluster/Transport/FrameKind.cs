namespace NexusOrleans.Runtime.Cluster.Transport;

/// <summary>The first byte after a frame's length; see docs/CLUSTER.md for each layout.</summary>
internal enum FrameKind : byte
{
    /// <summary>First frame a connecting side sends: protocol version and the incarnation it means to reach.</summary>
    Hello = 1,

    /// <summary>A call that expects a <see cref="Response"/> with the same call id.</summary>
    Request = 2,

    /// <summary>The answer to a <see cref="Request"/>.</summary>
    Response = 3,

    /// <summary>A call that gets no answer (observer notifications sent fire-and-forget).</summary>
    OneWay = 4,
}

/// <summary>How a call ended on the receiving side.</summary>
internal enum ResponseStatus : byte
{
    /// <summary>The method returned; the payload is its result as a JSON array of zero or one value.</summary>
    Ok = 0,

    /// <summary>The method, or the runtime on its behalf, threw; type name and message follow.</summary>
    Error = 1,

    /// <summary>The receiver does not own the grain's partition; its view of the owner follows. The call did not run.</summary>
    Redirect = 2,
}

/// <summary>A call as it travels: the grain, the method, the caller's view of the partition, its time budget and arguments.</summary>
internal sealed record CallMessage(ulong CallId, GrainId Target, string WireName, long Epoch, uint TimeoutMs, ReadOnlyMemory<byte> Arguments);

/// <summary>An answer as it travels. Which fields are set depends on <see cref="Status"/>.</summary>
internal sealed record ResponseMessage(ulong CallId, ResponseStatus Status, ReadOnlyMemory<byte> Result = default, string? ErrorType = null, string? ErrorMessage = null, PartitionOwner? Owner = null)
{
    public static ResponseMessage Error(ulong callId, string type, string message) => new(callId, ResponseStatus.Error, ErrorType: type, ErrorMessage: message);
}
