using System.Collections.Concurrent;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;

namespace NexusOrleans.Grains.Tests.Epochs;

/// <summary>
/// Epoch inputs from service intervals and canary counts a test records, turned into relay hours by the production
/// rules (<see cref="ServiceHours"/>); stakes are read from the real ledger grains of the silo the test runs.
/// </summary>
internal sealed class RecordedEpochInputs
{
    private readonly ConcurrentDictionary<(string Operator, string Relay), List<ServiceInterval>> _service = new();
    private readonly ConcurrentDictionary<(string Relay, DateTimeOffset Hour), (int Sent, int Delivered, int Cycles)> _quality = new();

    public RewardPolicy Policy { get; set; } = RewardRulesTests.Policy;

    /// <summary>How many times the close read the relay hours (a fixed batch is read once).</summary>
    public int Reads;

    public void Served(string @operator, string relay, DateTimeOffset from, DateTimeOffset to) =>
        _service.GetOrAdd((@operator, relay), _ => []).Add(new ServiceInterval(from, to));

    public void Quality(string relay, DateTimeOffset hour, int sent, int delivered, int cycles = 0) => _quality[(relay, hour)] = (sent, delivered, cycles);

    public IEpochInputs For(Func<Runtime.IGrainFactory> grains) => new Inputs(this, grains);

    private sealed class Inputs(RecordedEpochInputs recorded, Func<Runtime.IGrainFactory> grains) : IEpochInputs
    {
        public Task<RewardPolicy> PolicyAsync(DateTimeOffset start, TimeSpan length) =>
            Task.FromResult(recorded.Policy with { EpochReward = ClusterEpochInputs.EpochReward(recorded.Policy.EpochReward, length) });

        public Task<IReadOnlyList<RelayHour>> RelayHoursAsync(DateTimeOffset start, TimeSpan length)
        {
            Interlocked.Increment(ref recorded.Reads);
            IReadOnlyList<RelayHour> hours =
            [
                .. recorded._service.Select(pair =>
                {
                    var (sent, delivered, cycles) = recorded._quality.GetValueOrDefault((pair.Key.Relay, start), (60, 60, 0));
                    return new RelayHour(pair.Key.Operator, pair.Key.Relay, ServiceHours.ServedWhole(pair.Value, start, length), cycles, sent, delivered, TimeSpan.FromMilliseconds(30));
                }),
            ];
            return Task.FromResult(hours);
        }

        public async Task<UInt128> StakeAsync(string operatorAccount) => (await grains().GetGrain<IAccountGrain>(operatorAccount).GetAccount()).Stake;
    }
}
