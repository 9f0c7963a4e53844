using System.Globalization;
using NexusOrleans.Grains.Anchoring;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;

namespace NexusOrleans.Silo.Epochs;

/// <summary>
/// The reward epochs over HTTP, for operators and for whoever anchors or claims on chain:
/// <c>GET /v1/epochs</c> (the last epoch closed, and how long epochs last), <c>GET /v1/epochs/{epoch}</c> (that epoch's
/// batch: root, leaves, proofs) and <c>GET /v1/epochs/{epoch}/{operator}</c> (one operator's leaf and proof). An epoch is
/// written as its UTC hour, yyyy-MM-ddTHH, or with the minute (yyyy-MM-ddTHH:mm) when <c>Epochs:Length</c> is shorter.
/// Each batch answer carries <c>chainEpoch</c>, the epoch's number on chain (Unix seconds of its start, as a decimal
/// string), and, when the silo anchors to a chain, <c>anchoring</c>: pending, sent, confirmed, conflict or nothing, with
/// each transaction's hashes and block.
/// Amounts are base units as decimal strings (JSON numbers cannot hold 18-decimal amounts exactly), with the iChat
/// amount beside them for people.
/// </summary>
public static class EpochEndpoints
{
    /// <summary>Maps the epoch endpoints.</summary>
    public static IEndpointRouteBuilder MapEpochs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/v1/epochs", async (IGrainFactory grains, IOptions<EpochOptions> options) =>
        {
            var last = await grains.GetGrain<IEpochSchedulerGrain>(EpochKeys.Scheduler).LastClosed();
            return Results.Ok(new { lastClosed = last, length = options.Value.Length.ToString("c", CultureInfo.InvariantCulture) });
        });
        endpoints.MapGet("/v1/epochs/{hour}", async (string hour, IGrainFactory grains, IServiceProvider services, IOptions<EpochOptions> options) =>
        {
            var length = options.Value.Length;
            if (!EpochKeys.TryParse(hour, length, out var start))
            {
                return BadHour(hour, length);
            }

            var batch = await grains.GetGrain<IRewardEpochGrain>(hour).GetBatch();
            return batch is null
                ? Results.NotFound(new { error = $"The epoch {hour} is not closed: epochs close {options.Value.CloseDelay} after they end, and epochs before this cluster first started are never closed." })
                : Results.Ok(new
                {
                    hour,
                    start = batch.Hour,
                    end = batch.Hour + length,
                    chainEpoch = ChainEpoch(batch.Hour),
                    status = batch.Status.ToString().ToLowerInvariant(),
                    root = batch.Root,
                    leaves = batch.Leaves.Select(ToJson).ToArray(),
                    anchoring = await AnchoringAsync(services, grains, hour),
                });
        });
        endpoints.MapGet("/v1/epochs/{hour}/{operator}", async (string hour, string @operator, IGrainFactory grains, IServiceProvider services, IOptions<EpochOptions> options) =>
        {
            var length = options.Value.Length;
            if (!EpochKeys.TryParse(hour, length, out var start))
            {
                return BadHour(hour, length);
            }

            if (!LedgerAccounts.IsValid(@operator.ToLowerInvariant()) || @operator.Equals(LedgerAccounts.Treasury, StringComparison.OrdinalIgnoreCase))
            {
                return Results.BadRequest(new { error = $"'{@operator}' is not an operator address (0x followed by 40 hex characters)." });
            }

            var batch = await grains.GetGrain<IRewardEpochGrain>(hour).GetBatch();
            var leaf = batch?.Leaves.FirstOrDefault(leaf => leaf.Operator == @operator.ToLowerInvariant());
            return batch is null
                ? Results.NotFound(new { error = $"The epoch {hour} has not been closed yet." })
                : leaf is null
                    ? Results.NotFound(new { error = $"Operator {@operator} earned and lost nothing in the epoch {hour}." })
                    : Results.Ok(new
                    {
                        hour,
                        start = batch.Hour,
                        end = batch.Hour + length,
                        chainEpoch = ChainEpoch(batch.Hour),
                        root = batch.Root,
                        leaf = ToJson(leaf),
                        anchoring = await AnchoringAsync(services, grains, hour),
                    });
        });
        return endpoints;
    }

    private static string ChainEpoch(DateTimeOffset hour) => EpochKeys.ChainEpoch(hour).ToString(CultureInfo.InvariantCulture);

    /// <summary>The epoch's anchoring, or null when this silo does not anchor (no chain configured) or it has not started.</summary>
    private static async Task<object?> AnchoringAsync(IServiceProvider services, IGrainFactory grains, string epoch)
    {
        if (services.GetService<AnchorBacklog>() is null
            || await grains.GetGrain<IAnchorGrain>(epoch).GetStatus() is not { } status)
        {
            return null;
        }

        return new
        {
            state = status.State.ToString().ToLowerInvariant(),
            queuedAt = status.QueuedAt,
            transactions = status.Steps.Select(step => new
            {
                kind = step.Kind.ToString().ToLowerInvariant(),
                @operator = step.Operator,
                amount = step.Kind == AnchorStepKind.Slash ? step.Amount.ToString(CultureInfo.InvariantCulture) : null,
                state = step.State.ToString().ToLowerInvariant(),
                nonce = step.Nonce,
                hashes = step.Hashes,
                minedHash = step.MinedHash,
                blockNumber = step.BlockNumber,
                blockHash = step.BlockHash,
                foundOnChain = step.FoundOnChain,
                problem = step.Problem,
            }).ToArray(),
        };
    }

    private static IResult BadHour(string hour, TimeSpan length)
    {
        var example = EpochKeys.Format(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero) + length, length);
        return Results.BadRequest(new
        {
            error = length == EpochKeys.Hour
                ? $"'{hour}' is not an epoch: write the UTC hour as yyyy-MM-ddTHH, e.g. {example}."
                : $"'{hour}' is not an epoch: epochs here last {length} (Epochs:Length) and are named by their UTC start, e.g. {example}.",
        });
    }

    private static object ToJson(EpochBatchLeaf leaf) => new
    {
        @operator = leaf.Operator,
        reward = leaf.Reward.ToString(CultureInfo.InvariantCulture),
        rewardIchat = Tokens.Format(leaf.Reward),
        slash = leaf.Slash.ToString(CultureInfo.InvariantCulture),
        slashIchat = Tokens.Format(leaf.Slash),
        proof = leaf.Proof,
    };
}
