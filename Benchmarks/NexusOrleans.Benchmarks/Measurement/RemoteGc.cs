using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>
/// A full, blocking garbage collection in another .NET process, through the runtime's diagnostic port (the same request
/// <c>dotnet-gcdump</c> makes): an EventPipe session that enables the runtime provider's <c>GCHeapCollect</c> keyword
/// makes the runtime collect, and the <c>GCHeapStats</c> event that follows gives the managed heap's size after it.
/// Nothing is added to the measured process; its diagnostic port is on by default (<c>DOTNET_EnableDiagnostics</c>).
/// </summary>
public static class RemoteGc
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    /// <summary>Collects in process <paramref name="pid"/> and returns the managed heap's size after the collection, bytes.</summary>
    /// <exception cref="TimeoutException">No full collection was reported within <paramref name="timeout"/>.</exception>
    public static async Task<long> CollectAsync(int pid, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession([new EventPipeProvider(RuntimeProvider, EventLevel.Informational, keywords)], requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        var heapAfter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fullCollectionStarted = false;
        source.Clr.GCStart += start => fullCollectionStarted |= start.Depth == 2;
        source.Clr.GCHeapStats += stats =>
        {
            if (fullCollectionStarted)
            {
                heapAfter.TrySetResult(stats.GenerationSize0 + stats.GenerationSize1 + stats.GenerationSize2 + stats.GenerationSize3 + stats.GenerationSize4);
            }
        };

        var processing = Task.Run(source.Process);
        try
        {
            return await heapAfter.Task.WaitAsync(timeout);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing;
        }
    }
}
