// The genesis allocation: the tokens a new network starts with, minted from configuration when the silo starts.
//
// What it guarantees. Every line of Ledger:Genesis is minted at most once per address for the life of the ledger's
// storage: the mint's entry id is "genesis:" + the address in lower case, and the supply grain applies an entry id once
// (ISupplyGrain.Mint), so restarting the silo, or several silos starting on one store, mints nothing more. The flip side
// is deliberate: raising or lowering an amount after its first mint changes nothing, because the supply remembers the
// id and not the amount it minted under it, so it cannot tell a changed amount from the same one. (To give an address
// more, transfer to it; to undo, burn.) The start-up log says which lines were minted now and which on an earlier start.
//
// Failures. The settings are checked before anything starts (LedgerOptionsValidator: an address that is not one, an
// amount that is not a positive iChat amount with at most 18 decimals, an address listed twice, a total beyond what a
// ledger amount can hold), so the silo exits with code 3 and the setting's name instead of minting half a list. A mint
// that fails at start (storage down) fails the start: a network that silently lacks its genesis would refuse every
// operator's stake with a less helpful message. Starting again mints whatever was not minted, and only that.
//
// Order. The hosted service is registered by AddLedger, after the grain runtime, so it starts once the runtime takes calls.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Ledger;

/// <summary>Checks and mints <see cref="LedgerOptions.Genesis"/>. See the comment at the top of this file.</summary>
public static class LedgerGenesis
{
    /// <summary>Prefix of a genesis mint's entry id.</summary>
    public const string EntryIdPrefix = "genesis:";

    /// <summary>The entry id of the genesis mint to <paramref name="address"/> (any case): <c>genesis:0x…</c> in lower case.</summary>
    public static string EntryId(string address) => EntryIdPrefix + LedgerAccounts.Normalize(address);

    /// <summary>One sentence per thing wrong with <paramref name="allocations"/>, naming the setting; none when all is well.</summary>
    public static IEnumerable<string> Validate(IReadOnlyList<GenesisAllocation>? allocations)
    {
        if (allocations is null)
        {
            yield break;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = UInt128.Zero;
        var totalOverflows = false;
        for (var i = 0; i < allocations.Count; i++)
        {
            var allocation = allocations[i];
            var address = allocation?.Address?.Trim().ToLowerInvariant();
            if (!LedgerAccounts.IsValid(address) || address == LedgerAccounts.Treasury)
            {
                yield return $"Ledger:Genesis:{i}:Address must be an EVM address, 0x followed by 40 hex characters (got '{allocation?.Address}').";
            }
            else if (seen.TryGetValue(address!, out var first))
            {
                yield return $"Ledger:Genesis:{i}:Address repeats {address} of Ledger:Genesis:{first}; give each address one line.";
            }
            else
            {
                seen.Add(address!, i);
            }

            if (!Tokens.TryParse(allocation?.Amount?.Trim(), out var amount) || amount == UInt128.Zero)
            {
                yield return $"Ledger:Genesis:{i}:Amount must be an iChat amount above 0 with at most 18 decimals, such as \"1000000\" or \"0.5\" (got '{allocation?.Amount}').";
            }
            else if (UInt128.MaxValue - total < amount)
            {
                totalOverflows = true;
            }
            else
            {
                total += amount;
            }
        }

        if (totalOverflows)
        {
            yield return $"Ledger:Genesis adds up to more than {Tokens.Format(UInt128.MaxValue)} iChat, the most a ledger amount can hold.";
        }
    }

    /// <summary>The allocations as account keys and base units; call only on allocations <see cref="Validate"/> accepted.</summary>
    internal static IEnumerable<(string Account, UInt128 Amount)> Parse(IEnumerable<GenesisAllocation> allocations)
    {
        foreach (var allocation in allocations)
        {
            if (!Tokens.TryParse(allocation.Amount?.Trim(), out var amount))
            {
                throw new InvalidOperationException("Ledger:Genesis was not validated before minting.");
            }

            yield return (LedgerAccounts.Normalize(allocation.Address!), amount);
        }
    }
}

/// <summary>Mints the genesis allocation when the silo starts (registered after the runtime, so it starts after it).</summary>
internal sealed partial class LedgerGenesisMinter(IGrainFactory grains, IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerGenesisMinter> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var supply = grains.GetGrain<ISupplyGrain>(LedgerAccounts.Supply);
        foreach (var (account, amount) in LedgerGenesis.Parse(options.Value.Genesis))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entryId = LedgerGenesis.EntryIdPrefix + account;
            var result = EntryStatus.Applied;
            await Hosting.StartupCall.RunAsync(
                async () => result = (await supply.Mint(entryId, account, amount)).Status, "mint the genesis allocation", time, logger, cancellationToken);
            if (result == EntryStatus.Applied)
            {
                LogMinted(logger, Tokens.Format(amount), account, entryId);
            }
            else
            {
                LogMintedBefore(logger, account, entryId);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Genesis: minted {Amount} iChat to {Account} (entry {EntryId})")]
    private static partial void LogMinted(ILogger logger, string amount, string account, string entryId);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Genesis: {Account} received its allocation on an earlier start (entry {EntryId}); nothing is minted now, whatever amount Ledger:Genesis gives it today")]
    private static partial void LogMintedBefore(ILogger logger, string account, string entryId);
}
