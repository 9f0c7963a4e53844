using NexusOrleans.Benchmarks.Baseline;
using NexusOrleans.Benchmarks.Grains;

namespace NexusOrleans.Benchmarks.Calls;

/// <summary>
/// Closed-loop load: <c>callers</c> concurrent callers, each awaiting one call at a time, back to back.
/// </summary>
/// <remarks>
/// Caller <c>i</c> sends its <c>j</c>-th call to target <c>(i + j * callers) mod targets</c>, so every target gets
/// calls whether there are more callers than targets or fewer, and with more callers several calls queue on one
/// mailbox at once. The runtime and the baseline loops are written out twice, identically, rather than behind an
/// interface, so neither pays a dispatch the other does not.
/// </remarks>
public static class ClosedLoop
{
    /// <summary>Runs <paramref name="callers"/> × <paramref name="callsPerCaller"/> grain calls.</summary>
    public static Task RunAsync(IPingGrain[] grains, int callers, int callsPerCaller)
    {
        var running = new Task[callers];
        for (var caller = 0; caller < callers; caller++)
        {
            running[caller] = CallerAsync(grains, caller, callers, callsPerCaller);
        }

        return Task.WhenAll(running);
    }

    /// <summary>Runs <paramref name="callers"/> × <paramref name="callsPerCaller"/> channel-actor calls.</summary>
    public static Task RunAsync(ChannelActor[] actors, int callers, int callsPerCaller)
    {
        var running = new Task[callers];
        for (var caller = 0; caller < callers; caller++)
        {
            running[caller] = CallerAsync(actors, caller, callers, callsPerCaller);
        }

        return Task.WhenAll(running);
    }

    /// <summary>Calls every grain once, so each is activated and each reference has cached its activation.</summary>
    public static Task ActivateAllAsync(IPingGrain[] grains) => Task.WhenAll(grains.Select(grain => grain.Ping(0)));

    private static async Task CallerAsync(IPingGrain[] grains, int caller, int callers, int calls)
    {
        var target = caller % grains.Length;
        for (var call = 0; call < calls; call++)
        {
            await grains[target].Ping(call);
            target = (target + callers) % grains.Length;
        }
    }

    private static async Task CallerAsync(ChannelActor[] actors, int caller, int callers, int calls)
    {
        var target = caller % actors.Length;
        for (var call = 0; call < calls; call++)
        {
            await actors[target].Ping(call);
            target = (target + callers) % actors.Length;
        }
    }
}
