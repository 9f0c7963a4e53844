using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Runtime.Tests.Grains;

public sealed record RemoteNote(string Text, IReadOnlyList<int> Numbers, byte[] Bytes, UInt128 Amount, DateTimeOffset At);

public interface IRemoteGrain : IGrain
{
    Task<RemoteNote> Echo(RemoteNote note);

    Task<string> Where();

    Task Fail(string exceptionKind, string message);

    Task<int> Hold(string gate);

    Task<int> CallOther(string key);
}

/// <summary>For calls between silos: echoes what arrived, throws on request, waits at a probe gate, calls another grain.</summary>
public sealed class RemoteGrain(Probe probe, SiloEndpoint endpoint) : Grain, IRemoteGrain
{
    public Task<RemoteNote> Echo(RemoteNote note) => Task.FromResult(note with { Text = note.Text + " back" });

    public Task<string> Where() => Task.FromResult(endpoint.Address.ToString());

    public Task Fail(string exceptionKind, string message) => exceptionKind switch
    {
        "argument" => throw new ArgumentException(message),
        "unavailable" => throw new SiloUnavailableException(message),
        _ => throw new FormatException(message),
    };

    public async Task<int> Hold(string gate)
    {
        probe.Record($"holding:{gate}");
        await probe.Gate(gate);
        return 1;
    }

    public Task<int> CallOther(string key) => GrainFactory.GetGrain<ICounterGrain>(key).Increment();
}
