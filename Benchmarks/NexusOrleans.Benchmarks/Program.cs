using NexusOrleans.Benchmarks.Calls;

namespace NexusOrleans.Benchmarks;

/// <summary>
/// Runs one benchmark suite: <c>calls</c>, <c>latency</c>, <c>activations</c>, <c>state</c>, <c>chat</c>, <c>cluster</c> or <c>scaling</c>; each measures the runtime
/// and its baseline in the same run and ends with the summary table BENCHMARKS.md quotes. <c>loop</c> is the bare
/// closed loop that <c>Benchmarks/profile/profile.sh</c> samples. <c>latency RATE</c> measures one offered rate only.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static async Task<int> Main(string[] args)
    {
        var suite = args.Length > 0 ? args[0] : "";
        switch (suite)
        {
            case "calls":
                return await CallsSuite.RunAsync();
            case "latency" when args is [_, var rate] && double.TryParse(rate, System.Globalization.CultureInfo.InvariantCulture, out var offered):
                return await Latency.LatencySuite.RunAsync(offered);
            case "latency":
                return await Latency.LatencySuite.RunAsync();
            case "activations" when args is [_, "--child", var side]:
                return await Activations.ActivationsSuite.RunChildAsync(side);
            case "activations":
                return await Activations.ActivationsSuite.RunAsync();
            case "state":
                return await State.StateSuite.RunAsync(args.Length > 1 ? args[1] : null);
            case "chat":
                return await Chat.ChatSuite.RunAsync(args[1..]);
            case "cluster":
                return await Cluster.RemoteCallsSuite.RunAsync(args is [_, "--rounds", var count] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 3);
            case "scaling":
                return await Cluster.ScalingSuite.RunAsync(args[1..]);
            case "loop":
                return await LoopSuite.RunAsync(args);
            default:
                await Console.Error.WriteLineAsync(
                    "usage: dotnet run -c Release --project Benchmarks/NexusOrleans.Benchmarks -- calls | latency [CALLS_PER_SECOND] | activations | state [sqlite|postgres] | chat [crypto] [echo] [relay] [idle] [--rounds N] | cluster [--rounds N] | scaling [--rounds N] [--phones N] | loop runtime|baseline TARGETS CALLERS SECONDS");
                return 64;
        }
    }
}
