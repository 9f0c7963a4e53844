// Message fees: what a sender pays a relay for carrying a message, in which order it is decided, and why every case is
// charged once.
//
// Rule. A sender pays the network's FeePerMessagePerRelay to the operator of each relay its message goes through, once
// per message id and relay: the copies of one message sent through five relays cost five fees, one to each of those
// operators, and sending the same bytes again through a relay that was already paid for them costs nothing more. The
// fee goes to the relay's operator account (its wallet address, lowercase), which is credited at once.
//
// Order in the send path (GatewayConnection.SendAsync). The envelope is decoded, verified and checked against the sender
// and the relay's clock first, so nothing is charged for a message the relay would refuse on its face. Then:
//  1. Parameters, from NetworkParametersCache. A fee of 0 ends it here: no grain is called, the send goes on exactly as
//     before fees existed.
//  2. Free quota. With DailyFreeMessages > 0 the sender's quota grain for the envelope's day is asked; it counts each
//     message id once, so a message it made free is free at every relay and on every resend.
//  3. Payer. Otherwise the connection needs a wallet bound in its auth frame (WalletBinding); without one the answer is
//     payment-required. An operator's own messages through its own relay would pay itself: not charged.
//  4. Charge. IAccountGrain(payer).Transfer("fee:{message id}:{relay key}", operator, fee). The entry id is what makes it
//     once per message per relay: a resend, a retry after a lost answer, a second connection of the same phone all meet
//     AlreadyApplied and pay nothing more. InsufficientBalance is answered payment-required and nothing is deposited.
//  5. Deposit. Stored keeps the charge; so does Duplicate: the message is already there through another relay (which
//     charged for its copy), and this relay carried this copy all the same. InboxFull and Expired store nothing, so the
//     operator pays the fee back, Transfer("refund:{message id}:{relay key}", payer, fee): a refused message costs nothing.
//
// Refunded, then sent again. Ledger entry ids apply once for ever, so after a refund the same message through the same
// relay would meet AlreadyApplied and ride free (a sender and a recipient who keep the inbox full could chat for
// nothing). So an AlreadyApplied charge counts as paid only when its refund was not applied (HasApplied on the operator's
// account, asked only on this resend path); otherwise the message is charged again under the next attempt's ids
// ("fee:…:2" and "refund:…:2", then 3…), at most MaxAttempts times per message and relay.
//
// Failures. Every step is idempotent, so a phone that got `unavailable` may send again: a charge whose answer was lost
// is found AlreadyApplied, a deposit whose answer was lost is found Duplicate. A charge followed by a failed deposit call
// is not refunded (the relay cannot tell whether the message was stored); the phone's retry uses it. A refund that fails
// (the cluster unreachable, or the operator's balance spent meanwhile) is logged and not retried: that message cost its
// sender one fee, and a resend of it through this relay uses the payment.
//
// Cost. A charge is one ledger transfer (two grain writes, the payer's and the operator's), and each adds its entry id
// to both accounts' rows for ever (LedgerGrain.cs): until the ledger forgets old ids, a busy operator's account row grows
// with every message its relays carry. Free messages cost one small write each, fee 0 costs nothing.
using Microsoft.Extensions.Logging;
using NexusOrleans.Gateway.Relay;
using NexusOrleans.Grains.Fees;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Runtime;

namespace NexusOrleans.Gateway.Fees;

/// <summary>Charges and refunds message fees for this relay. See the comment at the top of this file for the rules.</summary>
internal sealed partial class MessageFees
{
    /// <summary>How often one message may be charged and refunded through one relay before the relay stops charging it.</summary>
    public const int MaxAttempts = 8;

    private readonly IGrainFactory _grains;
    private readonly NetworkParametersCache _parameters;
    private readonly string _operator;
    private readonly string _relayKey;
    private readonly ILogger _logger;

    public MessageFees(IGrainFactory grains, NetworkParametersCache parameters, RelayIdentity relay, ILoggerFactory loggerFactory)
    {
        _grains = grains;
        _parameters = parameters;
        _operator = LedgerAccounts.Normalize(relay.Wallet);
        _relayKey = relay.Key.ToString();
        _logger = loggerFactory.CreateLogger("NexusOrleans.Gateway.Fees");
    }

    /// <summary>The ledger entry id of attempt <paramref name="attempt"/> (from 1) to charge a message at a relay.</summary>
    public static string ChargeEntryId(string messageId, string relayKey, int attempt) => EntryId("fee", messageId, relayKey, attempt);

    /// <summary>The ledger entry id that pays back the charge of the same attempt.</summary>
    public static string RefundEntryId(string messageId, string relayKey, int attempt) => EntryId("refund", messageId, relayKey, attempt);

    /// <summary>
    /// Decides and takes the fee for one message: free, charged (once per message id at this relay), or refused with a
    /// sentence for the phone. <paramref name="payer"/> is the account bound to the connection, or null.
    /// </summary>
    public async ValueTask<FeeCharge> ChargeAsync(string messageId, string sender, DateTimeOffset createdAt, string? payer)
    {
        var parameters = await _parameters.GetAsync();
        var fee = parameters.FeePerMessagePerRelay;
        if (fee == UInt128.Zero)
        {
            return FeeCharge.Free;
        }

        var freeMessages = parameters.DailyFreeMessages;
        if (freeMessages > 0 && await _grains.GetFreeQuota(sender, createdAt).TryUse(messageId, freeMessages))
        {
            return FeeCharge.Free;
        }

        if (payer is null)
        {
            return FeeCharge.Refused(
                $"This relay charges {Tokens.Format(fee)} iChat per message{UsedUp(freeMessages)}, and this connection has no wallet to pay it: "
                + "bind a wallet in auth to pay fees ('wallet' and 'walletSignature', docs/PROTOCOL.md \"Fees\"). Nothing was stored.");
        }

        if (payer == _operator)
        {
            return FeeCharge.Free;
        }

        var account = _grains.GetGrain<IAccountGrain>(payer);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var result = await account.Transfer(ChargeEntryId(messageId, _relayKey, attempt), _operator, fee);
            switch (result.Status)
            {
                case EntryStatus.Applied:
                    return new FeeCharge(fee, payer, attempt, null);
                case EntryStatus.AlreadyApplied:
                    if (!await _grains.GetGrain<IAccountGrain>(_operator).HasApplied(RefundEntryId(messageId, _relayKey, attempt)))
                    {
                        return new FeeCharge(fee, payer, attempt, null);
                    }

                    continue;
                case EntryStatus.InsufficientBalance:
                    var balance = (await account.GetAccount()).Balance;
                    return FeeCharge.Refused(
                        $"This relay charges {Tokens.Format(fee)} iChat per message{UsedUp(freeMessages)}, and wallet {Eip55.ToChecksumAddress(payer)} "
                        + $"holds {Tokens.Format(balance)} iChat. Nothing was stored; fund the wallet and send again.");
                default:
                    throw new InvalidOperationException($"The ledger answered a transfer with {result.Status}.");
            }
        }

        return FeeCharge.Refused(
            $"This message was refused and refunded {MaxAttempts} times through this relay, which does not charge it again: "
            + "seal it anew (a new message id) to send it. Nothing was stored.");
    }

    /// <summary>Pays back a charge whose message was not stored; a failure is logged, never thrown.</summary>
    public async Task RefundAsync(FeeCharge charge, string messageId)
    {
        if (charge.Payer is not { } payer)
        {
            return;
        }

        try
        {
            var result = await _grains.GetGrain<IAccountGrain>(_operator)
                .Transfer(RefundEntryId(messageId, _relayKey, charge.Attempt), payer, charge.Amount);
            if (result.Succeeded)
            {
                LogRefunded(_logger, Tokens.Format(charge.Amount));
            }
            else
            {
                LogRefundFailed(_logger, result.Status.ToString(), result.Reason ?? string.Empty);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRefundFailed(_logger, exception.GetType().Name, exception.Message);
        }
    }

    private static string EntryId(string kind, string messageId, string relayKey, int attempt) =>
        attempt == 1 ? $"{kind}:{messageId}:{relayKey}" : $"{kind}:{messageId}:{relayKey}:{attempt}";

    private static string UsedUp(int freeMessages) =>
        freeMessages > 0 ? $" beyond the day's {freeMessages} free message{(freeMessages == 1 ? string.Empty : "s")}" : string.Empty;

    [LoggerMessage(EventId = 4020, Level = LogLevel.Debug, Message = "Fee of {Amount} iChat refunded: the message was not stored")]
    private static partial void LogRefunded(ILogger logger, string amount);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "A fee refund failed ({Outcome}: {Reason}); the sender has paid for a message that was not stored")]
    private static partial void LogRefundFailed(ILogger logger, string outcome, string reason);
}

/// <summary>
/// What <see cref="MessageFees.ChargeAsync"/> decided: free (<see cref="Payer"/> null), charged to <see cref="Payer"/>
/// under attempt <see cref="Attempt"/>, or refused (<see cref="Refusal"/> says why, for the phone).
/// </summary>
internal sealed record FeeCharge(UInt128 Amount, string? Payer, int Attempt, string? Refusal)
{
    /// <summary>Nothing to pay.</summary>
    public static readonly FeeCharge Free = new(UInt128.Zero, null, 0, null);

    /// <summary>Not paid, and the message must not be stored.</summary>
    public static FeeCharge Refused(string reason) => new(UInt128.Zero, null, 0, reason);
}
