using NexusOrleans.Grains.Ledger;

namespace NexusOrleans.Grains.Tests.Ledger;

/// <summary>One account as <see cref="LedgerModel"/> sees it.</summary>
internal sealed class LedgerModelAccount
{
    public UInt128 Balance { get; set; }

    public UInt128 Stake { get; set; }

    public HashSet<string> Applied { get; } = [];

    public HashSet<string> Received { get; } = [];
}

/// <summary>
/// The ledger's rules stated as plainly as possible, for <see cref="LedgerProperties"/>, with the writes each step makes in the order the grains make them
/// (debit at the payer, credit at the receiver, confirmation at the payer), so that it knows which of them an outage
/// makes fail. An operation answers null when its own write fails. A credit whose write fails waits in transit; a
/// credit that landed but whose confirmation failed stays outgoing at the payer too. A heal delivers the first and
/// confirms both.
/// </summary>
internal sealed class LedgerModel
{
    private readonly HashSet<string> _applied = [];
    private readonly HashSet<string> _received = [];
    private readonly Dictionary<string, int> _writesLeft = [];
    private readonly List<Credit> _inTransit = [];
    private readonly List<Credit> _unconfirmed = [];

    public Dictionary<string, LedgerModelAccount> Accounts { get; } = [];

    public UInt128 Minted { get; set; }

    public UInt128 Burned { get; set; }

    public (UInt128 Minted, UInt128 Burned, UInt128 Held) Start { get; set; }

    /// <summary>Credits the receiver holds whose payer still counts them outgoing.</summary>
    public UInt128 LandedUnconfirmed => _unconfirmed.Aggregate(UInt128.Zero, (sum, credit) => sum + credit.Amount);

    public UInt128 OutgoingFrom(string source) => _inTransit.Concat(_unconfirmed)
        .Where(credit => credit.Source == source)
        .Aggregate(UInt128.Zero, (sum, credit) => sum + credit.Amount);

    public EntryStatus? Mint(string entryId, string to, UInt128 amount)
    {
        if (_applied.Contains(entryId))
        {
            return EntryStatus.AlreadyApplied;
        }

        if (!Write(LedgerAccounts.Supply))
        {
            return null;
        }

        Minted += amount;
        _applied.Add(entryId);
        Send(new Credit(LedgerAccounts.Supply, entryId, to, amount));
        return EntryStatus.Applied;
    }

    public EntryStatus? Transfer(string entryId, string from, string to, UInt128 amount)
        => Debit(entryId, from, amount, stake: false, to);

    public EntryStatus? Burn(string entryId, string from, UInt128 amount)
        => Debit(entryId, from, amount, stake: false, LedgerAccounts.Supply);

    public EntryStatus? Slash(string entryId, string from, UInt128 amount, string? beneficiary)
        => Debit(entryId, from, amount, stake: true, beneficiary ?? LedgerAccounts.Supply);

    public EntryStatus? Stake(string entryId, string key, UInt128 amount)
        => Local(entryId, key, amount, toStake: true);

    public EntryStatus? Unstake(string entryId, string key, UInt128 amount)
        => Local(entryId, key, amount, toStake: false);

    /// <summary>
    /// Starts an outage; false (and nothing changes) when the grain is in one already. One outage at a time keeps the
    /// order of writes knowable: a grain in an outage has nothing in flight that could spend its remaining write.
    /// </summary>
    public bool Fail(string key, int writesFirst) => _writesLeft.TryAdd(key, writesFirst);

    public void Heal()
    {
        _writesLeft.Clear();
        foreach (var credit in _inTransit)
        {
            Receive(credit);
        }

        _inTransit.Clear();
        _unconfirmed.Clear();
    }

    private bool Write(string key)
    {
        if (!_writesLeft.TryGetValue(key, out var left))
        {
            return true;
        }

        if (left == 0)
        {
            return false;
        }

        _writesLeft[key] = left - 1;
        return true;
    }

    private EntryStatus? Debit(string entryId, string from, UInt128 amount, bool stake, string to)
    {
        var account = Accounts[from];
        if (account.Applied.Contains(entryId))
        {
            return EntryStatus.AlreadyApplied;
        }

        if ((stake ? account.Stake : account.Balance) < amount)
        {
            return stake ? EntryStatus.InsufficientStake : EntryStatus.InsufficientBalance;
        }

        if (!Write(from))
        {
            return null;
        }

        if (stake)
        {
            account.Stake -= amount;
        }
        else
        {
            account.Balance -= amount;
        }

        account.Applied.Add(entryId);
        Send(new Credit(from, entryId, to, amount));
        return EntryStatus.Applied;
    }

    private EntryStatus? Local(string entryId, string key, UInt128 amount, bool toStake)
    {
        var account = Accounts[key];
        if (account.Applied.Contains(entryId))
        {
            return EntryStatus.AlreadyApplied;
        }

        if ((toStake ? account.Balance : account.Stake) < amount)
        {
            return toStake ? EntryStatus.InsufficientBalance : EntryStatus.InsufficientStake;
        }

        if (!Write(key))
        {
            return null;
        }

        account.Balance = toStake ? account.Balance - amount : account.Balance + amount;
        account.Stake = toStake ? account.Stake + amount : account.Stake - amount;
        account.Applied.Add(entryId);
        return EntryStatus.Applied;
    }

    /// <summary>Delivery within the operation: the receiver's write, then the payer's confirmation.</summary>
    private void Send(Credit credit)
    {
        if (!Receive(credit))
        {
            _inTransit.Add(credit);
            return;
        }

        if (!Write(credit.Source))
        {
            _unconfirmed.Add(credit);
        }
    }

    /// <summary>The receiver applies a credit id once; false when its write fails.</summary>
    private bool Receive(Credit credit)
    {
        var creditId = $"{credit.Source}:{credit.EntryId}";
        var received = credit.To == LedgerAccounts.Supply ? _received : Accounts[credit.To].Received;
        if (received.Contains(creditId))
        {
            return true;
        }

        if (!Write(credit.To))
        {
            return false;
        }

        received.Add(creditId);
        if (credit.To == LedgerAccounts.Supply)
        {
            Burned += credit.Amount;
        }
        else
        {
            Accounts[credit.To].Balance += credit.Amount;
        }

        return true;
    }

    private sealed record Credit(string Source, string EntryId, string To, UInt128 Amount);
}
