using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>
/// What Linux says about a process in <c>/proc/PID</c>: its CPU time (<c>stat</c>: user + system) and its resident memory
/// (<c>status</c>: VmRSS, and RssAnon, the part that is not mapped files). Works for any process, so a benchmark can
/// watch a server it started without adding anything to the server.
/// </summary>
public static partial class ProcStats
{
    private static readonly double TicksPerSecond = ClockTicksPerSecond();

    /// <summary>User + system CPU time of process <paramref name="pid"/> so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((user + system) / TicksPerSecond);
    }

    /// <summary>VmRSS of process <paramref name="pid"/>, bytes.</summary>
    public static long ResidentBytes(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>RssAnon of process <paramref name="pid"/> (resident memory that is not a mapped file), bytes.</summary>
    public static long AnonymousResidentBytes(int pid) => StatusKilobytes(pid, "RssAnon:") * 1024;

    /// <summary>Number of open file descriptors of process <paramref name="pid"/>.</summary>
    public static int OpenFiles(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    private static long StatusKilobytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field} line.");
    }

    private static double ClockTicksPerSecond()
    {
        const int scClockTicks = 2;
        var ticks = OperatingSystem.IsLinux() ? SystemConfiguration(scClockTicks) : -1;
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SystemConfiguration(int name);
}

/// <summary>CPU time of this process and of a child process at one instant, so a window's shares can be computed.</summary>
public readonly record struct CpuSnapshot(long Timestamp, TimeSpan Self, TimeSpan Other)
{
    /// <summary>Reads both now; <paramref name="otherPid"/> is the child process (the server).</summary>
    public static CpuSnapshot Read(int otherPid)
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSnapshot(Stopwatch.GetTimestamp(), self.TotalProcessorTime, ProcStats.CpuTime(otherPid));
    }

    /// <summary>Cores kept busy by this process and by the other one since <paramref name="start"/>.</summary>
    public (double Self, double Other, TimeSpan Wall) CoresBusySince(CpuSnapshot start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
        return ((Self - start.Self) / wall, (Other - start.Other) / wall, wall);
    }
}
