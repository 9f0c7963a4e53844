using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;

namespace NexusOrleans.Cli.Commands.Chain;

/// <summary>
/// <c>ichat chain claim</c>: fetches the wallet's line of an epoch and its Merkle proof from the cluster
/// (<c>GET /v1/epochs/{key}/{operator}</c>) and submits <c>RewardDistributor.claim</c> from the same wallet. The epoch
/// number on chain is the answer's <c>chainEpoch</c> when the silo gives one, else the Unix time in seconds of the
/// epoch's start.
/// </summary>
internal static class ChainClaim
{
    public static Command Command(ChainSettings settings)
    {
        var epochOption = new Option<string?>("--epoch", "--hour") { Description = "The epoch, as the cluster names it (yyyy-MM-ddTHH, or yyyy-MM-ddTHH:mm when its epochs are shorter than an hour; default: the last epoch the cluster closed)." };
        var silo = new Option<string>("--silo")
        {
            Description = $"The silo's HTTP URL, where the epoch's proof is fetched (default {SiloHttp.DefaultSilo}).",
            DefaultValueFactory = _ => SiloHttp.DefaultSilo,
        };
        var command = new Command("claim", "Claim your reward of an epoch on chain: the proof comes from the cluster, the tokens are minted to your wallet.") { epochOption, silo };
        command.SetAction((result, cancellation) => ChainRun.RunAsync(result, async output =>
        {
            using var session = await ChainSession.OpenAsync(result, settings, cancellation);
            using var http = SiloHttp.Create(result.GetValue(silo));
            var key = result.GetValue(epochOption)?.Trim();
            if (string.IsNullOrEmpty(key))
            {
                var last = await http.GetAsync("/v1/epochs", cancellation);
                key = last.TryGetProperty("lastClosed", out var closed) && closed.ValueKind == JsonValueKind.String
                    ? closed.GetString()!
                    : throw new ChainCommandException("No epoch has closed yet: an epoch closes a few minutes (Epochs:CloseDelay) after it ends.");
            }

            var answer = await http.GetAsync($"/v1/epochs/{Uri.EscapeDataString(key)}/{session.Address.ToLowerInvariant()}", cancellation);
            var chainEpoch = ChainEpoch(answer, key);
            var leaf = answer.GetProperty("leaf");
            var reward = BaseUnits(leaf, "reward");
            var slash = BaseUnits(leaf, "slash");
            var proof = leaf.GetProperty("proof").EnumerateArray().Select(step => Convert.FromHexString(step.GetString()!.AsSpan(2))).ToArray();

            await session.RequireGasAsync(cancellation);
            var mined = await session.Distributor.ClaimAsync(session.Sender, chainEpoch, session.Address, reward, slash, proof, cancellation);
            var claimed = session.Distributor.EventsIn(mined.Receipt, "Claimed").Select(e => (UInt128)(BigInteger)e.Arguments["reward"]).FirstOrDefault();
            var balance = await session.Token.BalanceOfAsync(session.Address, cancellation);
            output.WriteLine($"Claimed {Tokens.Format(claimed)} iChat for epoch {key} (chain epoch {chainEpoch}) to {session.Address} (transaction {mined.Hash}).");
            output.WriteLine($"Balance:  {Tokens.Format(balance)} iChat");
            return 0;
        }));
        return command;
    }

    /// <summary>The answer's <c>chainEpoch</c> when present, else the Unix seconds of the start of epoch <paramref name="key"/>.</summary>
    internal static ulong ChainEpoch(JsonElement answer, string key)
    {
        if (answer.TryGetProperty("chainEpoch", out var given))
        {
            if (given.ValueKind == JsonValueKind.Number && given.TryGetUInt64(out var number))
            {
                return number;
            }

            if (given.ValueKind == JsonValueKind.String && ulong.TryParse(given.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }
        }

        return EpochKeys.TryParse(key, out var start)
            ? (ulong)start.ToUnixTimeSeconds()
            : throw new ArgumentException($"'{key}' is not an epoch the cluster names (such as 2026-11-21T10), and the silo gave no chainEpoch for it.");
    }

    private static UInt128 BaseUnits(JsonElement leaf, string name) =>
        leaf.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && UInt128.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var units)
            ? units
            : throw new ChainCommandException($"The silo's answer has no '{name}' amount in base units; is --silo an iChat silo?");
}
