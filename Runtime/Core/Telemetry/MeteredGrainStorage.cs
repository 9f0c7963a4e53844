using System.Diagnostics;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Telemetry;

/// <summary>
/// Times every grain state operation of whichever provider is configured, and counts those that fail (a version
/// conflict or a stale owner counts too: the operator sees them as failed writes). The clock is the monotonic
/// stopwatch, as for any duration.
/// </summary>
internal sealed class MeteredGrainStorage(IGrainStorage inner, RuntimeMetrics metrics) : IGrainStorage
{
    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
        => MeasureAsync("read", inner.ReadAsync(grainId, stateName, cancellationToken));

    public Task<string> WriteAsync(GrainStateWrite write, CancellationToken cancellationToken)
        => MeasureAsync("write", inner.WriteAsync(write, cancellationToken));

    public Task<string?> ClearAsync(GrainStateClear clear, CancellationToken cancellationToken)
        => MeasureAsync("clear", inner.ClearAsync(clear, cancellationToken));

    private async Task<T> MeasureAsync<T>(string operation, Task<T> pending)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await pending.ConfigureAwait(false);
            metrics.StorageOperation(operation, Stopwatch.GetElapsedTime(started), failed: false);
            return result;
        }
        catch
        {
            metrics.StorageOperation(operation, Stopwatch.GetElapsedTime(started), failed: true);
            throw;
        }
    }
}
