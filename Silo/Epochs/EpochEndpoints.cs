using System.Globalization;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Runtime;

namespace NexusOrleans.Silo.Epochs;

/// <summary>
/// The reward epochs over HTTP, for operators and for whoever anchors or claims on chain:
/// <c>GET /v1/epochs</c> (the last hour closed), <c>GET /v1/epochs/{hour}</c> (that hour's batch: root, leaves, proofs) and
/// <c>GET /v1/epochs/{hour}/{operator}</c> (one operator's leaf and proof). Hours are written yyyy-MM-ddTHH in UTC.
/// Amounts are base units as decimal strings (JSON numbers cannot hold 18-decimal amounts exactly), with the iChat
/// amount beside them for people.
/// </summary>
public static class EpochEndpoints
{
    /// <summary>Maps the epoch endpoints.</summary>
    public static IEndpointRouteBuilder MapEpochs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/v1/epochs", async (IGrainFactory grains) =>
        {
            var last = await grains.GetGrain<IEpochSchedulerGrain>(EpochKeys.Scheduler).LastClosed();
            return Results.Ok(new { lastClosed = last is { } hour ? EpochKeys.Format(hour) : null });
        });
        endpoints.MapGet("/v1/epochs/{hour}", async (string hour, IGrainFactory grains) =>
        {
            if (!EpochKeys.TryParse(hour, out var start))
            {
                return BadHour(hour);
            }

            var batch = await grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(start)).GetBatch();
            return batch is null
                ? Results.NotFound(new { error = $"The epoch of {hour} is not closed: epochs close a few minutes after their hour ends, and hours before this cluster first started are never closed." })
                : Results.Ok(new
                {
                    hour = EpochKeys.Format(batch.Hour),
                    status = batch.Status.ToString().ToLowerInvariant(),
                    root = batch.Root,
                    leaves = batch.Leaves.Select(ToJson).ToArray(),
                });
        });
        endpoints.MapGet("/v1/epochs/{hour}/{operator}", async (string hour, string @operator, IGrainFactory grains) =>
        {
            if (!EpochKeys.TryParse(hour, out var start))
            {
                return BadHour(hour);
            }

            if (!LedgerAccounts.IsValid(@operator.ToLowerInvariant()) || @operator.Equals(LedgerAccounts.Treasury, StringComparison.OrdinalIgnoreCase))
            {
                return Results.BadRequest(new { error = $"'{@operator}' is not an operator address (0x followed by 40 hex characters)." });
            }

            var batch = await grains.GetGrain<IRewardEpochGrain>(EpochKeys.Format(start)).GetBatch();
            var leaf = batch?.Leaves.FirstOrDefault(leaf => leaf.Operator == @operator.ToLowerInvariant());
            return batch is null
                ? Results.NotFound(new { error = $"The epoch of {hour} has not been closed yet." })
                : leaf is null
                    ? Results.NotFound(new { error = $"Operator {@operator} earned and lost nothing in the epoch of {hour}." })
                    : Results.Ok(new { hour = EpochKeys.Format(batch.Hour), root = batch.Root, leaf = ToJson(leaf) });
        });
        return endpoints;
    }

    private static IResult BadHour(string hour) =>
        Results.BadRequest(new { error = $"'{hour}' is not an epoch hour: write the UTC hour as yyyy-MM-ddTHH, e.g. 2026-11-21T10." });

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
