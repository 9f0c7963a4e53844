using System.Diagnostics;
using System.Diagnostics.Metrics;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Gateway.Telemetry;

/// <summary>The process basics next to the product's own: CPU time used and the managed heap, read at each scrape.</summary>
internal sealed class ProcessMetrics
{
    public ProcessMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(NexusTelemetry.MeterName);
        meter.CreateObservableCounter("process.cpu.time", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "CPU time this process has used, user and system.");
        meter.CreateObservableGauge("dotnet.gc.heap.size", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "Managed heap size after the last garbage collection.");
        meter.CreateObservableCounter("dotnet.gc.collections", () => (long)GC.CollectionCount(0), "{collection}", "Garbage collections (all generations count in gen 0).");
        meter.CreateObservableGauge("process.start.time", () => new DateTimeOffset(Process.GetCurrentProcess().StartTime).ToUnixTimeSeconds(), "s", "When the process started, Unix time.");
    }
}
