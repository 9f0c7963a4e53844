using System.Runtime.InteropServices;

namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>
/// Short sleeps for open-loop generator threads: <c>nanosleep</c>, with the calling thread's timer slack lowered to 1 ns
/// (<c>prctl(PR_SET_TIMERSLACK)</c>) so it wakes on time rather than up to the default 50 µs late.
/// </summary>
public static partial class NanoSleep
{
    private const int PrSetTimerSlack = 29;

    /// <summary>Lowers the calling thread's timer slack to 1 ns; call once on the generator thread.</summary>
    public static void LowerTimerSlack() => _ = SetTimerSlack(PrSetTimerSlack, 1, 0, 0, 0);

    /// <summary>Sleeps the calling thread for <paramref name="duration"/> (less than a second).</summary>
    public static void Sleep(TimeSpan duration)
    {
        var time = new TimeSpec { Seconds = 0, Nanoseconds = (long)duration.TotalNanoseconds };
        _ = Sleep(ref time, IntPtr.Zero);
    }

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetTimerSlack(int option, ulong slackNanoseconds, ulong unused3, ulong unused4, ulong unused5);

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int Sleep(ref TimeSpec duration, IntPtr remaining);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
