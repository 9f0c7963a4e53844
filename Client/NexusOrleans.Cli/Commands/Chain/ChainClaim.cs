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
    /// <summary>The most epochs <c>--last</c> looks at: a week of hourly epochs.</summary>
    internal const int MaxLast = 168;

    public static Command Command(ChainSettings settings)
    {
        var epochOption = new Option<string?>("--epoch", "--hour") { Description = "The epoch, as the cluster names it (yyyy-MM-ddTHH, or yyyy-MM-ddTHH:mm when its epochs are shorter than an hour; default: the last epoch the cluster closed)." };
        var lastOption = new Option<int?>("--last")
        {
            Description = $"Claim every epoch among the last N the cluster closed (1 to {MaxLast}) that has an anchored line for you not claimed yet, one transaction each.",
        };
        var silo = new Option<string>("--silo")
        {
            Description = $"The silo's HTTP URL, where the epoch's proof is fetched (default {SiloHttp.DefaultSilo}).",
            DefaultValueFactory = _ => SiloHttp.DefaultSilo,
        };
        var command = new Command("claim", "Claim your reward of an epoch on chain: the proof comes from the cluster, the tokens are minted to your wallet.") { epochOption, lastOption, silo };
        command.SetAction((result, cancellation) => ChainRun.RunAsync(result, async output =>
        {
            var key = result.GetValue(epochOption)?.Trim();
            var last = result.GetValue(lastOption);
            if (last is not null && !string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("Give either --epoch (one epoch) or --last (several), not both.");
            }

            if (last is < 1 or > MaxLast)
            {
                throw new ArgumentException($"--last takes 1 to {MaxLast} epochs (got {last}).");
            }

            using var session = await ChainSession.OpenAsync(result, settings, cancellation);
            using var http = SiloHttp.Create(result.GetValue(silo));
            if (last is { } count)
            {
                return await ClaimLastAsync(session, http, count, output, cancellation);
            }

            if (string.IsNullOrEmpty(key))
            {
                key = (await ClosedAsync(http, cancellation)).Last;
            }

            var line = await LineAsync(http, key, session.Address, cancellation);
            await session.RequireGasAsync(cancellation);
            var claimed = await ClaimAsync(session, line, cancellation);
            output.WriteLine($"Claimed {Tokens.Format(claimed.Amount)} iChat for epoch {key} (chain epoch {line.ChainEpoch}) to {session.Address} (transaction {claimed.Hash}).");
            output.WriteLine($"Balance:  {Tokens.Format(await session.Token.BalanceOfAsync(session.Address, cancellation))} iChat");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Claims, oldest first, every one of the last <paramref name="count"/> closed epochs that has a line for the wallet,
    /// anchored and not claimed yet; says what it skipped and why, and sends nothing for those.
    /// </summary>
    private static async Task<int> ClaimLastAsync(ChainSession session, SiloHttp http, int count, TextWriter output, CancellationToken cancellation)
    {
        var (lastKey, length) = await ClosedAsync(http, cancellation);
        if (!EpochKeys.TryParse(lastKey, length, out var lastStart))
        {
            throw new ChainCommandException($"The silo's last closed epoch '{lastKey}' is not an epoch of its length {length}; is --silo an iChat silo?");
        }

        UInt128 total = 0;
        int claimedCount = 0, notAnchored = 0;
        for (var i = count - 1; i >= 0; i--)
        {
            var key = EpochKeys.Format(lastStart - (length * i), length);
            EpochLine line;
            try
            {
                line = await LineAsync(http, key, session.Address, cancellation);
            }
            catch (SiloRefusedException refused) when (refused.Status == System.Net.HttpStatusCode.NotFound)
            {
                continue; // nothing earned or lost in that epoch, or it was before the cluster started
            }

            if (line.Reward == UInt128.Zero || await session.Distributor.ClaimedAsync(line.ChainEpoch, session.Address, cancellation))
            {
                continue;
            }

            if ((await session.Distributor.AnchoredRootAsync(line.ChainEpoch, cancellation)).All(b => b == 0))
            {
                notAnchored++;
                output.WriteLine($"Epoch {key}: {Tokens.Format(line.Reward)} iChat, not anchored on chain yet; claim it later.");
                continue;
            }

            await session.RequireGasAsync(cancellation);
            var claimed = await ClaimAsync(session, line, cancellation);
            total += claimed.Amount;
            claimedCount++;
            output.WriteLine($"Claimed {Tokens.Format(claimed.Amount)} iChat for epoch {key} (chain epoch {line.ChainEpoch}) (transaction {claimed.Hash}).");
        }

        var first = EpochKeys.Format(lastStart - (length * (count - 1)), length);
        output.WriteLine(claimedCount == 0
            ? $"Nothing to claim for {session.Address} in the {count} epoch(s) from {first} to {lastKey}{(notAnchored > 0 ? $" yet ({notAnchored} waiting for their anchor)" : string.Empty)}."
            : $"Claimed {Tokens.Format(total)} iChat in {claimedCount} epoch(s) from {first} to {lastKey} to {session.Address}.");
        output.WriteLine($"Balance:  {Tokens.Format(await session.Token.BalanceOfAsync(session.Address, cancellation))} iChat");
        return 0;
    }

    /// <summary>The cluster's last closed epoch and its epoch length (an hour from silos that do not say).</summary>
    private static async Task<(string Last, TimeSpan Length)> ClosedAsync(SiloHttp http, CancellationToken cancellation)
    {
        var answer = await http.GetAsync("/v1/epochs", cancellation);
        var last = answer.TryGetProperty("lastClosed", out var closed) && closed.ValueKind == JsonValueKind.String
            ? closed.GetString()!
            : throw new ChainCommandException("No epoch has closed yet: an epoch closes a few minutes (Epochs:CloseDelay) after it ends.");
        var length = answer.TryGetProperty("length", out var given) && given.ValueKind == JsonValueKind.String
            && TimeSpan.TryParseExact(given.GetString(), "c", CultureInfo.InvariantCulture, out var parsed) && EpochKeys.LengthProblem(parsed) is null
                ? parsed
                : EpochKeys.Hour;
        return (last, length);
    }

    /// <summary>The wallet's line of epoch <paramref name="key"/> with its proof, from the silo.</summary>
    private static async Task<EpochLine> LineAsync(SiloHttp http, string key, string address, CancellationToken cancellation)
    {
        var answer = await http.GetAsync($"/v1/epochs/{Uri.EscapeDataString(key)}/{address.ToLowerInvariant()}", cancellation);
        var leaf = answer.GetProperty("leaf");
        return new EpochLine(
            ChainEpoch(answer, key),
            BaseUnits(leaf, "reward"),
            BaseUnits(leaf, "slash"),
            [.. leaf.GetProperty("proof").EnumerateArray().Select(step => Convert.FromHexString(step.GetString()!.AsSpan(2)))]);
    }

    /// <summary>Sends the claim of <paramref name="line"/> from the wallet and returns what the Claimed event paid.</summary>
    private static async Task<(UInt128 Amount, string Hash)> ClaimAsync(ChainSession session, EpochLine line, CancellationToken cancellation)
    {
        var mined = await session.Distributor.ClaimAsync(session.Sender, line.ChainEpoch, session.Address, line.Reward, line.Slash, line.Proof, cancellation);
        var claimed = session.Distributor.EventsIn(mined.Receipt, "Claimed").Select(e => (UInt128)(BigInteger)e.Arguments["reward"]).FirstOrDefault();
        return (claimed, mined.Hash);
    }

    private sealed record EpochLine(ulong ChainEpoch, UInt128 Reward, UInt128 Slash, byte[][] Proof);

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
