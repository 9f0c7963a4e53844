// What an epoch reads from the cluster: every operator the relay directory knows, each node's service in the epoch as
// its operator grain recorded it, the operator's stake (where relay registration reads it: the ledger, or RelayStaking
// on chain), and the network parameters. The epoch is an hour unless Epochs:Length is shorter; below, "hour" is the epoch.
//
// A node served the whole hour when one stretch of service covers it: from its current registration until it was
// unregistered, or until its last heartbeat when it has been silent for longer than the outage gap since, with every
// recorded heartbeat gap longer than the outage gap cut out. A re-registration (a restart, or unregister and register
// again) starts a new stretch, so the hour it happens in is never full, and each one within the hour is a cycle for the
// flapping rule. Operator grains keep the current and the previous hour only; an epoch closes two minutes after its hour,
// so that is enough, but an hour closed much later (the cluster was down) finds no record and pays nothing.
//
// Loss and latency come from the node's relay quality grain: the canary envelopes the cluster's prober sent through
// the node in the hour, and which of them reached the probe within Canaries:Timeout. Only judged canaries count (sent
// = delivered + lost): the epoch closes after Epochs:CloseDelay, longer than the timeout, so normally none is pending,
// and one that were (a clock jump) is neither a loss nor a delivery rather than a guess. A node the prober never reached
// with a canary (canaries turned off) shows no loss and no latency, so it is judged on its service alone.
//
// Faults in the hours before this one are not read here: the epoch itself carries each node's fault streak from the
// hour before (RewardEpochGrain), whatever the inputs.
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Relays.Stake;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Epochs;

/// <summary>The production <see cref="IEpochInputs"/>: reads the directory, the operator grains and the network parameters.</summary>
public sealed class ClusterEpochInputs(IGrainFactory grains, IOperatorStake stakes) : IEpochInputs
{
    /// <inheritdoc />
    public async Task<RewardPolicy> PolicyAsync(DateTimeOffset start, TimeSpan length)
    {
        var parameters = await grains.GetNetworkParameters().Get();
        return ToPolicy(parameters, length);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RelayHour>> RelayHoursAsync(DateTimeOffset start, TimeSpan length)
    {
        var parameters = await grains.GetNetworkParameters().Get();
        var operators = await grains.GetGrain<IRelayDirectoryGrain>(RelayGrains.DirectoryKey).Operators();
        var hours = new List<RelayHour>();
        foreach (var account in operators)
        {
            var snapshot = await grains.GetGrain<IRelayOperatorGrain>(account).GetOperator();
            foreach (var node in snapshot.Nodes)
            {
                var canaries = await grains.GetRelayQuality(node.RelayKey).GetPeriod(start, length);
                hours.Add(Judge(snapshot.Operator, node, start, length, parameters.OutageGap, snapshot.AsOf, canaries));
            }
        }

        return hours;
    }

    /// <inheritdoc />
    public async Task<UInt128> StakeAsync(string operatorAccount)
        => (await stakes.ReadAsync(grains, operatorAccount)).Staked;

    /// <summary>
    /// The reward rules' view of the network parameters for an epoch of <paramref name="length"/> (an hour when not
    /// given): the hourly reward pro rata to the length, rounded down.
    /// </summary>
    public static RewardPolicy ToPolicy(NetworkParameters parameters, TimeSpan? length = null) => new(
        EpochReward(parameters.HourlyReward, length ?? EpochKeys.Hour),
        parameters.FlappingLimit,
        parameters.FlappingPenaltyBps,
        parameters.CanaryLatencyThreshold,
        parameters.LatencyPenaltyBps,
        parameters.CanaryLossThresholdBps,
        parameters.LossPenaltyBps,
        parameters.SevereLossBps,
        parameters.RepeatedFaultHours,
        parameters.SlashBps);

    /// <summary>The reward of an epoch of <paramref name="length"/> when an hour pays <paramref name="hourlyReward"/> (rounded down).</summary>
    public static UInt128 EpochReward(UInt128 hourlyReward, TimeSpan length) =>
        length == EpochKeys.Hour ? hourlyReward : hourlyReward * (ulong)length.Ticks / (ulong)EpochKeys.Hour.Ticks;

    /// <summary>
    /// One node's hour, judged from its operator grain's record as of <paramref name="asOf"/> and, when given, its
    /// canaries of that hour (<paramref name="canaries"/>; none sent when null).
    /// </summary>
    public static RelayHour Judge(
        string operatorAccount, RelayNodeSnapshot node, DateTimeOffset hour, TimeSpan outageGap, DateTimeOffset asOf, CanaryPeriod? canaries = null)
        => Judge(operatorAccount, node, hour, EpochKeys.Hour, outageGap, asOf, canaries);

    /// <summary>One node's epoch of <paramref name="length"/> from <paramref name="start"/>: <see cref="Judge(string, RelayNodeSnapshot, DateTimeOffset, TimeSpan, DateTimeOffset, CanaryPeriod?)"/> for any epoch length.</summary>
    public static RelayHour Judge(
        string operatorAccount, RelayNodeSnapshot node, DateTimeOffset start, TimeSpan length, TimeSpan outageGap, DateTimeOffset asOf, CanaryPeriod? canaries = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (canaries is not null && (canaries.Start != start || canaries.Length != length))
        {
            throw new ArgumentException($"The canaries are of {canaries.Start:O} for {canaries.Length}, not of the judged epoch {start:O} for {length}.", nameof(canaries));
        }

        var intervals = ServiceOf(node, outageGap, asOf);
        var end = start + length;
        var events = node.Events.OrderBy(e => e.At).ToArray();
        var cycles = events.Where((e, index) => index > 0 && e.Kind == RelayNodeEventKind.Registered && e.At >= start && e.At < end).Count();
        return new RelayHour(
            operatorAccount.ToLowerInvariant(),
            node.RelayKey,
            ServiceHours.ServedWhole(intervals, start, length),
            cycles,
            CanariesSent: canaries is null ? 0 : canaries.Delivered + canaries.Lost,
            CanariesDelivered: canaries?.Delivered ?? 0,
            MedianCanaryLatency: canaries?.MedianLatency);
    }

    /// <summary>The node's stretches of service, as the comment at the top of this file defines them.</summary>
    public static IReadOnlyList<ServiceInterval> ServiceOf(RelayNodeSnapshot node, TimeSpan outageGap, DateTimeOffset asOf)
    {
        var start = node.RegisteredAt;
        var end = node.UnregisteredAt
            ?? (node.LastHeartbeat is { } last && asOf - last <= outageGap ? asOf : node.LastHeartbeat ?? start);
        if (end <= start)
        {
            return [];
        }

        var intervals = new List<ServiceInterval>();
        var from = start;
        foreach (var gap in node.Gaps.Where(gap => gap.Length > outageGap && gap.To > start && gap.From < end).OrderBy(gap => gap.From))
        {
            if (gap.From > from)
            {
                intervals.Add(new ServiceInterval(from, gap.From));
            }

            from = gap.To > from ? gap.To : from;
        }

        if (end > from)
        {
            intervals.Add(new ServiceInterval(from, end));
        }

        return intervals;
    }
}
