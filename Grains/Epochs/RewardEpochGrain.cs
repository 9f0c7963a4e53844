// The close of one reward epoch (an hour, or the shorter Epochs:Length): exactly once in effect, however often it runs
// or is interrupted.
//
// Close has two phases. (1) Compute the batch from what the cluster measured (IEpochInputs), build its Merkle tree, and
// write the leaves and root to the epoch's state before anything is paid. From then on the batch is fixed: a close that
// resumes after a crash pays what was computed the first time, never a recomputation over inputs that have moved on
// (stakes change, late heartbeats arrive). (2) Book each leaf in the ledger: the reward is minted to the operator under
// entry id "epoch:<hour>:reward:<operator>", the slash taken from its stake under "epoch:<hour>:slash". The ledger
// applies an entry id once, so replaying phase 2 — after a crash between two entries, or a second Close call, or a
// scheduler tick racing a manual close — books nothing twice. Only when every entry stands applied is the epoch written
// as Closed. Turn-based execution means two Close calls on one activation never interleave; across a restart the stored
// state and the ledger's ids carry the guarantee.
//
// With anchoring on (Settlement = Chain) phase 2 books nothing: the anchoring worker puts the fixed batch on chain, each
// operator claims its reward there and RelayStaking takes the slash, so the ledger paying too would pay an epoch twice.
//
// Repeated faults. The batch records, per relay node, how many epochs running it has had a fault (its streak); an epoch
// reads the streaks of the epoch before from that epoch when it fixes its own batch, so "faulty three hours
// running" needs no other history. Epochs close in order (the scheduler), so the hour before is fixed by then; an epoch
// closed by hand before its predecessor finds no streaks and counts from zero, which can only spare a slash, never add one.
//
// A slash larger than the stake the operator still has (it unstaked after the batch was fixed) takes what is there:
// the batch is what gets anchored, and the ledger never goes negative; the shortfall is logged.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Protocol.Settlement;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Epochs;

/// <summary>One reward epoch. See the comment at the top of this file.</summary>
[GrainType("reward-epoch")]
public sealed partial class RewardEpochGrain(IEpochInputs inputs, IOptions<EpochOptions> options, EpochMetrics metrics, ILogger<RewardEpochGrain> logger)
    : Grain<RewardEpochState>, IRewardEpochGrain
{
    private readonly EpochOptions _options = options.Value;
    private DateTimeOffset _hour;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!EpochKeys.TryParse(Key, _options.Length, out _hour))
        {
            var example = EpochKeys.Format(EpochKeys.StartOf(TimeProvider.GetUtcNow(), _options.Length), _options.Length);
            throw new ArgumentException($"\"{Key}\" is not the key of an epoch of {_options.Length} (Epochs:Length), which reads like {example}.", nameof(Key));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<EpochBatch> Close()
    {
        if (State.Status == EpochStatus.Closed)
        {
            return Batch();
        }

        var closesAt = _hour + _options.Length + _options.CloseDelay;
        if (TimeProvider.GetUtcNow() < closesAt)
        {
            throw new InvalidOperationException($"The epoch {Key} (UTC) closes at {closesAt:O}, not before.");
        }

        if (State.Status is null)
        {
            await FixBatchAsync();
        }

        if (_options.Settlement == EpochSettlement.Ledger)
        {
            foreach (var leaf in State.Leaves)
            {
                await BookAsync(leaf);
            }
        }

        State.Status = EpochStatus.Closed;
        await WriteStateAsync();
        LogClosed(logger, Key, State.Leaves.Count, State.Root ?? "none");
        metrics.Closed(State.Leaves.Select(leaf => (leaf.Reward, leaf.Slash)));
        return Batch();
    }

    /// <inheritdoc />
    public Task<EpochBatch?> GetBatch() => Task.FromResult(State.Status is null ? null : Batch());

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> GetFaultStreaks() =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(State.FaultStreaks, StringComparer.Ordinal));

    private async Task FixBatchAsync()
    {
        var policy = await inputs.PolicyAsync(_hour, _options.Length);
        var before = await GrainFactory.GetGrain<IRewardEpochGrain>(EpochKeys.Format(_hour - _options.Length, _options.Length)).GetFaultStreaks();
        var hours = (await inputs.RelayHoursAsync(_hour, _options.Length))
            .Select(hour => hour with { FaultyHoursBefore = before.GetValueOrDefault(hour.RelayKey) })
            .ToArray();
        var stakes = new Dictionary<string, UInt128>(StringComparer.Ordinal);
        foreach (var account in hours.Select(hour => hour.Operator).Distinct(StringComparer.Ordinal))
        {
            stakes[account] = await inputs.StakeAsync(account);
        }

        var leaves = RewardRules.ByOperator(hours, policy, account => stakes[account]);
        State.Leaves = [.. leaves.Select(leaf => new RewardEpochLeaf { Operator = leaf.Operator, Reward = leaf.Reward, Slash = leaf.Slash })];
        State.Root = State.Leaves.Count == 0 ? null : EpochBatchTree.Build(ToTreeLeaves()).RootHex;
        State.FaultStreaks = hours
            .Where(hour => RewardRules.FaultsOf(hour, policy) != RelayFaults.None)
            .GroupBy(hour => hour.RelayKey, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Max(hour => hour.FaultyHoursBefore) + 1, StringComparer.Ordinal);
        State.Status = EpochStatus.Settling;
        await WriteStateAsync();
    }

    private async Task BookAsync(RewardEpochLeaf leaf)
    {
        if (leaf.Reward > UInt128.Zero)
        {
            var minted = await GrainFactory.GetGrain<ISupplyGrain>(LedgerAccounts.Supply).Mint($"epoch:{Key}:reward:{leaf.Operator}", leaf.Operator, leaf.Reward);
            Require(minted);
        }

        if (leaf.Slash > UInt128.Zero)
        {
            var account = GrainFactory.GetGrain<IAccountGrain>(leaf.Operator);
            var beneficiary = string.IsNullOrEmpty(_options.SlashBeneficiary) ? null : _options.SlashBeneficiary;
            var entryId = $"epoch:{Key}:slash";
            var slashed = await account.Slash(entryId, leaf.Slash, beneficiary);
            if (slashed.Status == EntryStatus.InsufficientStake)
            {
                var left = (await account.GetAccount()).Stake;
                LogSlashShortfall(logger, Key, leaf.Operator, Tokens.Format(leaf.Slash), Tokens.Format(left));
                slashed = left == UInt128.Zero ? slashed with { Status = EntryStatus.Applied } : await account.Slash(entryId, left, beneficiary);
            }

            Require(slashed);
        }
    }

    private static void Require(EntryResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The ledger refused epoch entry {result.EntryId}: {result.Status} ({result.Reason}).");
        }
    }

    private List<EpochLeaf> ToTreeLeaves() => [.. State.Leaves.Select(leaf => new EpochLeaf(leaf.Operator, leaf.Reward, leaf.Slash))];

    private EpochBatch Batch()
    {
        var status = State.Status ?? throw new InvalidOperationException("The epoch has no batch yet.");
        if (State.Leaves.Count == 0)
        {
            return new EpochBatch(_hour, status, null, []);
        }

        var tree = EpochBatchTree.Build(ToTreeLeaves());
        var leaves = tree.Leaves
            .Select((leaf, index) => new EpochBatchLeaf(
                leaf.Operator,
                leaf.Reward,
                leaf.Slash,
                [.. tree.GetProof(index).Select(hash => "0x" + Convert.ToHexStringLower(hash))]))
            .OrderBy(leaf => leaf.Operator, StringComparer.Ordinal)
            .ToArray();
        return new EpochBatch(_hour, status, tree.RootHex, leaves);
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "Epoch {Epoch} closed: {Leaves} operators, Merkle root {Root}")]
    private static partial void LogClosed(ILogger logger, string epoch, int leaves, string root);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Warning, Message = "Epoch {Epoch}: operator {Operator} was to be slashed {Slash} iChat but has {Left} staked; slashed what is left")]
    private static partial void LogSlashShortfall(ILogger logger, string epoch, string @operator, string slash, string left);
}

/// <summary>The stored epoch: status, the fixed leaves and their root.</summary>
public sealed class RewardEpochState
{
    public EpochStatus? Status { get; set; }

    public string? Root { get; set; }

    public List<RewardEpochLeaf> Leaves { get; set; } = [];

    /// <summary>Relay nodes with a fault in this epoch, and how many epochs running they have had one.</summary>
    public Dictionary<string, int> FaultStreaks { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One stored leaf.</summary>
public sealed class RewardEpochLeaf
{
    public string Operator { get; set; } = string.Empty;

    public UInt128 Reward { get; set; }

    public UInt128 Slash { get; set; }
}
