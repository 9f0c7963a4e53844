using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// One ledger account: balance and stake in base units. Stake and unstake stay inside the account (one write); transfers,
/// burns and slashes go out through the durable outbox of <see cref="LedgerGrain{TState}"/>, whose file comment says
/// what survives which failure.
/// </summary>
[GrainType("account")]
public sealed class AccountGrain(IOptions<LedgerOptions> options, ILogger<AccountGrain> logger)
    : LedgerGrain<AccountState>(options, logger), IAccountGrain
{
    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        LedgerGuards.RequireAccountKey(Key);
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<AccountSnapshot> GetAccount() => Task.FromResult(new AccountSnapshot(Key, State.Balance, State.Stake, Outgoing));

    /// <inheritdoc />
    public Task<bool> HasApplied(string entryId)
    {
        LedgerGuards.RequireEntryId(entryId, nameof(entryId));
        return Task.FromResult(State.Applied.Contains(entryId));
    }

    /// <inheritdoc />
    public Task<EntryResult> Transfer(string entryId, string to, UInt128 amount)
    {
        LedgerGuards.RequireEntryId(entryId, nameof(entryId));
        LedgerGuards.RequireCounterparty(to, Key, "The receiving account", nameof(to));
        LedgerGuards.RequireAmount(amount, nameof(amount));
        if (AlreadyApplied(entryId) is { } earlier)
        {
            return Task.FromResult(earlier);
        }

        if (State.Balance < amount)
        {
            return Task.FromResult(InsufficientBalance(entryId, nameof(Transfer), amount));
        }

        return MoveAsync(entryId, nameof(Transfer), to, amount, () => State.Balance -= amount);
    }

    /// <inheritdoc />
    public Task<EntryResult> Stake(string entryId, UInt128 amount)
    {
        LedgerGuards.RequireEntryId(entryId, nameof(entryId));
        LedgerGuards.RequireAmount(amount, nameof(amount));
        if (AlreadyApplied(entryId) is { } earlier)
        {
            return Task.FromResult(earlier);
        }

        if (State.Balance < amount)
        {
            return Task.FromResult(InsufficientBalance(entryId, nameof(Stake), amount));
        }

        return ApplyLocalAsync(entryId, nameof(Stake), () =>
        {
            State.Balance -= amount;
            State.Stake = checked(State.Stake + amount);
        });
    }

    /// <inheritdoc />
    public Task<EntryResult> Unstake(string entryId, UInt128 amount)
    {
        LedgerGuards.RequireEntryId(entryId, nameof(entryId));
        LedgerGuards.RequireAmount(amount, nameof(amount));
        if (AlreadyApplied(entryId) is { } earlier)
        {
            return Task.FromResult(earlier);
        }

        if (State.Stake < amount)
        {
            return Task.FromResult(InsufficientStake(entryId, nameof(Unstake), amount));
        }

        return ApplyLocalAsync(entryId, nameof(Unstake), () =>
        {
            State.Stake -= amount;
            State.Balance = checked(State.Balance + amount);
        });
    }

    /// <inheritdoc />
    public Task<EntryResult> Burn(string entryId, UInt128 amount)
    {
        LedgerGuards.RequireEntryId(entryId, nameof(entryId));
        LedgerGuards.RequireAmount(amount, nameof(amount));
        if (AlreadyApplied(entryId) is { } earlier)
        {
            return Task.FromResult(earlier);
        }

        if (State.Balance < amount)
        {
            return Task.FromResult(InsufficientBalance(entryId, nameof(Burn), amount));
        }

        return MoveAsync(entryId, nameof(Burn), LedgerAccounts.Supply, amount, () => State.Balance -= amount);
    }

    /// <inheritdoc />
    public Task<EntryResult> Slash(string entryId, UInt128 amount, string? beneficiary)
    {
        LedgerGuards.RequireEntryId(entryId, nameof(entryId));
        if (beneficiary is not null)
        {
            LedgerGuards.RequireCounterparty(beneficiary, Key, "A slash's beneficiary", nameof(beneficiary));
        }

        LedgerGuards.RequireAmount(amount, nameof(amount));
        if (AlreadyApplied(entryId) is { } earlier)
        {
            return Task.FromResult(earlier);
        }

        if (State.Stake < amount)
        {
            return Task.FromResult(InsufficientStake(entryId, nameof(Slash), amount));
        }

        return MoveAsync(entryId, nameof(Slash), beneficiary ?? LedgerAccounts.Supply, amount, () => State.Stake -= amount);
    }

    /// <inheritdoc />
    public async Task<EntryResult> Credit(string entryId, UInt128 amount)
    {
        LedgerGuards.RequireCreditId(entryId, Key, nameof(entryId));
        LedgerGuards.RequireAmount(amount, nameof(amount));
        if (State.Received.Contains(entryId))
        {
            return new EntryResult(EntryStatus.AlreadyApplied, entryId);
        }

        State.Balance = checked(State.Balance + amount);
        State.Received.Add(entryId);
        await PersistAsync();
        return new EntryResult(EntryStatus.Applied, entryId);
    }

    private EntryResult InsufficientBalance(string entryId, string operation, UInt128 amount) => Refuse(
        entryId,
        operation,
        EntryStatus.InsufficientBalance,
        $"The balance is {Tokens.Format(State.Balance)} iChat; this entry needs {Tokens.Format(amount)} iChat.");

    private EntryResult InsufficientStake(string entryId, string operation, UInt128 amount) => Refuse(
        entryId,
        operation,
        EntryStatus.InsufficientStake,
        $"The stake is {Tokens.Format(State.Stake)} iChat; this entry needs {Tokens.Format(amount)} iChat.");
}
