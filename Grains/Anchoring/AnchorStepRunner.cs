// One anchoring transaction, from "pending" to "confirmed", resumable at any point from what was persisted.
//
// The chain is the judge of what is done. Before a step with no transaction record is sent, the chain is read
// (the distributor's root for the epoch, or slashed(operator, epoch)): when it already holds the same thing the step
// is done with no transaction (an earlier send whose record was lost in a crash, or another anchorer); a different
// root is a conflict, logged as an error and never retried. Otherwise the transaction is sent and its record — nonce
// and every attempt's hash and signed bytes — is persisted before anything else happens, then followed with
// TransactionSender.WaitAsync, which resends after a reorg and replaces a stuck transaction at the same nonce; each
// replacement is persisted as it happens. After a restart the step resumes with WaitAsync on the persisted record,
// so nothing is sent twice. A send refused as EpochAlreadyAnchored / AlreadySlashed, a mined revert, or a nonce used
// by another transaction all lead back to reading the chain: the same content there means done, anything else is a
// failure the caller retries with back-off (a reverted transaction's record is dropped, since its nonce is spent).
//
// A step whose record exists is never pre-checked against the chain: its transaction may sit in a block that is not
// yet confirmed, and only WaitAsync knows when it is. The worst a lost record can cost is one extra transaction that
// the contract reverts (it anchors an epoch and slashes an (operator, epoch) once), never a second anchor.
//
// After confirmation the grain's watch asks StillOnChainAsync whether the chain still holds each step's effect. When a
// reorg deeper than the confirmations took it away, the step goes back to pending with its record dropped (its nonce
// may have been given to another transaction since, or may be free again behind the sender's counter, which is why the
// sender re-reads the nonce), and the next run is the first one again: read the chain, send, wait.
using System.Globalization;
using Microsoft.Extensions.Logging;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;

namespace NexusOrleans.Grains.Anchoring;

/// <summary>Runs one step of an epoch's anchoring. See the comment at the top of this file.</summary>
internal sealed class AnchorStepRunner(AnchorChain chain, AnchorBacklog backlog, ILogger logger, string epoch, ulong chainEpoch, string? root)
{
    private enum OnChain
    {
        Absent,
        Same,
        Different,
    }

    /// <summary>
    /// Brings <paramref name="step"/> as far as it goes; <paramref name="persist"/> writes the grain's state. Reads and
    /// sends stop only with <paramref name="cancellationToken"/>; waiting for confirmations also ends with
    /// <paramref name="waitSlice"/>, after which the step resumes from its persisted record.
    /// </summary>
    public async Task RunAsync(AnchorStepState step, Func<Task> persist, CancellationToken cancellationToken, CancellationToken waitSlice)
    {
        if (step.Transaction is null)
        {
            if (await SettledOnChainAsync(step, persist, cancellationToken))
            {
                return;
            }

            SentTransaction sent;
            try
            {
                sent = await chain.Sender.SendAsync(Request(step), cancellationToken);
            }
            catch (ChainRpcException exception) when (exception.RevertData is not null)
            {
                await RevertedAsync(step, persist, Describe(exception.RevertData, exception), cancellationToken);
                return;
            }

            step.Transaction = StoredTransaction.Of(sent);
            step.State = AnchorState.Sent;
            step.Problem = null;
            await persist();
            backlog.Transaction("sent");
            AnchorLog.Sent(logger, epoch, step.Kind, step.Operator ?? "-", sent.Nonce, sent.Latest.Hash);
        }

        MinedTransaction mined;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waitSlice);
        try
        {
            mined = await chain.Sender.WaitAsync(step.Transaction.ToSent(), (progress, _) => ProgressAsync(step, progress, persist), waiting.Token);
        }
        catch (TransactionRevertedException exception)
        {
            step.Transaction = null; // its nonce is spent; a retry sends a new transaction
            await RevertedAsync(step, persist, $"transaction {exception.Mined.Hash} reverted in block {exception.Mined.Receipt.BlockNumber}", cancellationToken);
            return;
        }
        catch (NonceConsumedException exception)
        {
            step.Transaction = null;
            await RevertedAsync(step, persist, exception.Message, cancellationToken);
            return;
        }

        step.State = AnchorState.Confirmed;
        step.MinedHash = mined.Hash;
        step.BlockNumber = mined.Receipt.BlockNumber;
        step.BlockHash = mined.Receipt.BlockHash;
        step.Problem = null;
        await persist();
        backlog.Transaction("confirmed");
        AnchorLog.Confirmed(logger, epoch, step.Kind, step.Operator ?? "-", mined.Hash, mined.Receipt.BlockNumber);
    }

    private async ValueTask ProgressAsync(AnchorStepState step, TransactionProgress progress, Func<Task> persist)
    {
        if (progress.Kind == TransactionProgressKind.Replaced)
        {
            step.Transaction = StoredTransaction.Of(progress.Transaction);
            await persist();
            backlog.Transaction("replaced");
        }
        else if (progress.Kind == TransactionProgressKind.Resent)
        {
            backlog.Transaction("resent");
        }
    }

    /// <summary>
    /// Reads whether the chain still holds what the confirmed <paramref name="step"/> put there. Still there: true,
    /// nothing changes. Gone (a reorg deeper than the confirmations took it away): the step goes back to pending with
    /// no transaction record, so the next run sends a new transaction, and the sender re-reads the account's nonce,
    /// since the nonces of the transactions the reorg dropped are free again. Another root: the step is in conflict.
    /// </summary>
    public async Task<bool> StillOnChainAsync(AnchorStepState step, Func<Task> persist, CancellationToken cancellationToken)
    {
        var (onChain, found) = await ReadChainAsync(step, cancellationToken);
        if (onChain == OnChain.Same)
        {
            return true;
        }

        if (onChain == OnChain.Different)
        {
            step.State = AnchorState.Conflict;
            step.Problem = $"the chain holds root {found} for epoch {chainEpoch}, not {root}";
            AnchorLog.Conflict(logger, epoch, chainEpoch, found ?? "?", root ?? "?");
            await persist();
            return false;
        }

        AnchorLog.ReorgedAway(
            logger, epoch, step.Kind, step.Operator ?? "-", step.MinedHash ?? "-", step.BlockNumber?.ToString(CultureInfo.InvariantCulture) ?? "-", step.BlockHash ?? "-");
        step.Problem = step.BlockNumber is { } block
            ? $"confirmed in block {block} ({step.BlockHash}), then taken away by a reorg; to be sent again"
            : "found on chain, then taken away by a reorg; to be sent again";
        step.State = AnchorState.Pending;
        step.Transaction = null;
        step.MinedHash = null;
        step.BlockNumber = null;
        step.BlockHash = null;
        step.FoundOnChain = false;
        await persist();
        await chain.Sender.ForgetNonceAsync(cancellationToken);
        return false;
    }

    /// <summary>The send was refused or the transaction reverted: done when the chain holds it already, else a failure to retry.</summary>
    private async Task RevertedAsync(AnchorStepState step, Func<Task> persist, string reason, CancellationToken cancellationToken)
    {
        backlog.Transaction("failed");
        if (await SettledOnChainAsync(step, persist, cancellationToken))
        {
            return;
        }

        step.State = AnchorState.Pending;
        step.Problem = reason;
        await persist();
        throw new AnchorStepFailedException($"{step.Kind} of epoch {epoch} failed: {reason}");
    }

    /// <summary>Reads the chain; marks the step confirmed (same content) or in conflict (another root) and says whether it did.</summary>
    private async Task<bool> SettledOnChainAsync(AnchorStepState step, Func<Task> persist, CancellationToken cancellationToken)
    {
        var (onChain, found) = await ReadChainAsync(step, cancellationToken);
        if (onChain == OnChain.Absent)
        {
            return false;
        }

        if (onChain == OnChain.Different)
        {
            step.State = AnchorState.Conflict;
            step.Problem = $"the chain holds root {found} for epoch {chainEpoch}, not {root}";
            AnchorLog.Conflict(logger, epoch, chainEpoch, found ?? "?", root ?? "?");
        }
        else
        {
            step.State = AnchorState.Confirmed;
            step.FoundOnChain = true;
            step.Problem = null;
            AnchorLog.FoundOnChain(logger, epoch, step.Kind, step.Operator ?? "-");
        }

        await persist();
        return true;
    }

    private async Task<(OnChain OnChain, string? Found)> ReadChainAsync(AnchorStepState step, CancellationToken cancellationToken)
    {
        if (step.Kind == AnchorStepKind.Slash)
        {
            return (await chain.Staking.SlashedAsync(step.Operator!, chainEpoch, cancellationToken) ? OnChain.Same : OnChain.Absent, null);
        }

        var anchored = await chain.Distributor.AnchoredRootAsync(chainEpoch, cancellationToken);
        if (anchored.All(b => b == 0))
        {
            return (OnChain.Absent, null);
        }

        var found = "0x" + Convert.ToHexStringLower(anchored);
        return (string.Equals(found, root, StringComparison.OrdinalIgnoreCase) ? OnChain.Same : OnChain.Different, found);
    }

    private TransactionRequest Request(AnchorStepState step) => step.Kind == AnchorStepKind.Anchor
        ? chain.Distributor.AnchorRequest(chainEpoch, Convert.FromHexString(root![2..]))
        : chain.Staking.SlashRequest(step.Operator!, step.Amount, chainEpoch);

    private string Describe(byte[] revertData, ChainRpcException exception)
    {
        var error = chain.Distributor.Abi.DecodeError(revertData) ?? chain.Staking.Abi.DecodeError(revertData);
        return error is null ? exception.RpcMessage : $"the send was refused: {error}";
    }
}

/// <summary>A step failed in a way worth retrying later (the chain did not hold what it was to send).</summary>
public sealed class AnchorStepFailedException(string message) : Exception(message);
