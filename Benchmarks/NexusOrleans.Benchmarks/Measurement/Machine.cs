using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>The machine a figure was measured on, printed with every summary.</summary>
public static class Machine
{
    /// <summary>One line: cores, memory, CPU model, OS, .NET runtime, collector, date.</summary>
    public static string Describe()
    {
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {memoryGiB:F0} GiB, {CpuModel()}, {RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC{(AdaptiveGcOff ? " (DATAS off)" : "")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>True when the GC's adaptive mode (DATAS) is off, by runtimeconfig or environment, as the silo runs it.</summary>
    private static bool AdaptiveGcOff
        => AppContext.GetData("System.GC.DynamicAdaptationMode") is { } mode && Convert.ToInt32(mode, System.Globalization.CultureInfo.InvariantCulture) == 0
           || Environment.GetEnvironmentVariable("DOTNET_GCDynamicAdaptationMode") == "0";
}
