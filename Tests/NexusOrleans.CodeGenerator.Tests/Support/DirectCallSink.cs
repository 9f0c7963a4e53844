using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.CodeGenerator.Tests.Support;

/// <summary>
/// Delivers every request straight to one target object, on the caller's thread, and records what was sent and
/// when each request reported completion. Stands in for the runtime's message loop.
/// </summary>
internal sealed class DirectCallSink(object target) : IGrainCallSink, IRequestCompletion
{
    private readonly Lock _gate = new();
    private readonly List<GrainRequest> _sent = [];
    private readonly List<GrainRequest> _completed = [];
    private readonly TaskCompletionSource<GrainRequest> _firstCompletion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<GrainRequest> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<GrainRequest> Completed
    {
        get
        {
            lock (_gate)
            {
                return [.. _completed];
            }
        }
    }

    /// <summary>Completes when the first request reports completion.</summary>
    public Task<GrainRequest> FirstCompletion => _firstCompletion.Task;

    public void Send(GrainReference reference, GrainRequest request)
    {
        lock (_gate)
        {
            _sent.Add(request);
        }

        request.Invoke(target, this);
    }

    public void OnRequestCompleted(GrainRequest request)
    {
        lock (_gate)
        {
            _completed.Add(request);
        }

        _firstCompletion.TrySetResult(request);
    }
}
