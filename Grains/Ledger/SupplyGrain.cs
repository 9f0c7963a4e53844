using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// The token supply: minted and burned totals. A mint counts the new tokens and owes them to the receiving account in one
/// write, then delivers them through the durable outbox of <see cref="LedgerGrain{TState}"/>; a burn or slash arrives here
/// as the credit half of a movement an account has already debited.
/// </summary>
[GrainType("supply")]
public sealed class SupplyGrain(IOptions<LedgerOptions> options, ILogger<SupplyGrain> logger)
    : LedgerGrain<SupplyState>(options, logger), ISupplyGrain
{
    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        LedgerGuards.RequireSupplyKey(Key);
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<SupplySnapshot> GetSupply() => Task.FromResult(new SupplySnapshot(State.Minted, State.Burned, Outgoing));

    /// <inheritdoc />
    public Task<EntryResult> Mint(string entryId, string to, UInt128 amount)
    {
        LedgerGuards.RequireEntryId(entryId, nameof(entryId));
        LedgerGuards.RequireCounterparty(to, Key, "The receiving account", nameof(to));
        LedgerGuards.RequireAmount(amount, nameof(amount));
        if (AlreadyApplied(entryId) is { } earlier)
        {
            return Task.FromResult(earlier);
        }

        if (UInt128.MaxValue - State.Minted < amount)
        {
            throw new ArgumentException(
                $"Minting {Tokens.Format(amount)} iChat would take the total minted past {Tokens.Format(UInt128.MaxValue)} iChat, the most a ledger amount can hold.",
                nameof(amount));
        }

        return MoveAsync(entryId, nameof(Mint), to, amount, () => State.Minted += amount);
    }

    /// <inheritdoc />
    public async Task<EntryResult> RecordBurn(string entryId, UInt128 amount)
    {
        LedgerGuards.RequireCreditId(entryId, Key, nameof(entryId));
        LedgerGuards.RequireAmount(amount, nameof(amount));
        if (State.Received.Contains(entryId))
        {
            return new EntryResult(EntryStatus.AlreadyApplied, entryId);
        }

        State.Burned = checked(State.Burned + amount);
        State.Received.Add(entryId);
        await PersistAsync();
        return new EntryResult(EntryStatus.Applied, entryId);
    }
}
