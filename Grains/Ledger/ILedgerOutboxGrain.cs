using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Ledger;

/// <summary>
/// How a ledger grain tells itself, in a turn of its own, that a credit it sent outside any turn has landed. Internal: only
/// the ledger grains call it, each on itself.
/// </summary>
internal interface ILedgerOutboxGrain : IGrain
{
    /// <summary>Removes the credit of <paramref name="entryId"/> from the outbox; its receiver has applied it.</summary>
    Task ConfirmDelivered(string entryId);
}
