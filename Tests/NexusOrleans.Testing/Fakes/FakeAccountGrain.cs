using NexusOrleans.Grains.Ledger;
using NexusOrleans.Runtime;

namespace NexusOrleans.Testing.Fakes;

/// <summary>
/// A FAKE ledger account for the relay tests, standing in until the ledger's real account grain is on this branch:
/// <see cref="Credit"/> creates tokens from nothing (the real ledger mints through the supply grain), and the rest moves
/// amounts between balance and stake the way the contract says. Stored like any grain, so restarts keep it.
/// </summary>
[GrainType("fake-account")]
public sealed class FakeAccountGrain : Grain<FakeAccountGrain.Account>, IAccountGrain
{
    public Task<AccountSnapshot> GetAccount() => Task.FromResult(new AccountSnapshot(Key, State.Balance, State.Stake, UInt128.Zero));

    public Task<EntryResult> Credit(string entryId, UInt128 amount) => Apply(entryId, () =>
    {
        State.Balance += amount;
        return null;
    });

    public Task<EntryResult> Stake(string entryId, UInt128 amount) => Apply(entryId, () =>
    {
        if (State.Balance < amount)
        {
            return EntryStatus.InsufficientBalance;
        }

        State.Balance -= amount;
        State.Stake += amount;
        return null;
    });

    public Task<EntryResult> Unstake(string entryId, UInt128 amount) => Apply(entryId, () =>
    {
        if (State.Stake < amount)
        {
            return EntryStatus.InsufficientStake;
        }

        State.Stake -= amount;
        State.Balance += amount;
        return null;
    });

    public Task<EntryResult> Transfer(string entryId, string to, UInt128 amount) => throw new NotSupportedException("The fake account does not transfer.");

    public Task<EntryResult> Burn(string entryId, UInt128 amount) => throw new NotSupportedException("The fake account does not burn.");

    public Task<EntryResult> Slash(string entryId, UInt128 amount, string? beneficiary) => throw new NotSupportedException("The fake account is not slashed.");

    private async Task<EntryResult> Apply(string entryId, Func<EntryStatus?> change)
    {
        if (State.Entries.Contains(entryId))
        {
            return new EntryResult(EntryStatus.AlreadyApplied, entryId);
        }

        if (change() is { } refused)
        {
            return new EntryResult(refused, entryId, refused.ToString());
        }

        State.Entries.Add(entryId);
        await WriteStateAsync();
        return new EntryResult(EntryStatus.Applied, entryId);
    }

    public sealed class Account
    {
        public UInt128 Balance { get; set; }

        public UInt128 Stake { get; set; }

        public HashSet<string> Entries { get; set; } = [];
    }
}
