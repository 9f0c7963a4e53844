using System.Diagnostics;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Telemetry;

/// <summary>
/// Carries the caller's span across a grain call in this process. A grain turn runs on the activation's own work item,
/// not in the caller's execution context, so <see cref="Activity.Current"/> would not follow on its own: the request
/// takes it along when anyone listens to the product's activity source (one volatile read otherwise), and the turn
/// runs with it as the current span, which its awaits then keep. A caller's span may have ended before the turn runs
/// (an observer notified by a grain that has already returned): a span of its own, named after the method and a child of
/// the ended one, then carries the trace on, since an ended span cannot be made current again. Calls to other silos
/// start a new trace there.
/// </summary>
internal static class CallTracing
{
    public static void Capture(GrainRequest request)
    {
        if (NexusTelemetry.Source.HasListeners())
        {
            request.Caller = Activity.Current;
        }
    }

    public static void Invoke(GrainRequest request, object target, IRequestCompletion completion)
    {
        if (request.Caller is not { } caller)
        {
            request.Invoke(target, completion);
            return;
        }

        var previous = Activity.Current;
        Activity.Current = caller.IsStopped ? null : caller;
        using var followOn = caller.IsStopped
            ? NexusTelemetry.Source.StartActivity(request.MethodName, ActivityKind.Consumer, caller.Context)
            : null;
        try
        {
            request.Invoke(target, completion);
        }
        finally
        {
            Activity.Current = previous;
        }
    }
}
