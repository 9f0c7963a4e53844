// The connection's subscription to its phone's inbox, and how it follows the inbox when the inbox moves.
//
// An inbox keeps its observers in memory only. When the inbox's partition moves to another silo (a silo stops, crashes
// or a new one takes its share), the old activation is gone and the new one has no observers: pushes to this phone
// stop until the connection subscribes again. Renewing every Gateway:SubscriptionRenewal (two minutes, sized for the
// inbox's observer expiration, not for failover) would leave that gap for up to two minutes, so the connection also
// subscribes again as soon as it has reason to think the subscription is gone:
//   - the partition directory names another owner or epoch for the inbox than when it last subscribed (checked by
//     SubscriptionWatch every Gateway:SubscriptionCheckPeriod; the epoch grows with every new owner, so a move and
//     back is seen too), and
//   - a subscribe, or any request of this phone, failed with a cluster error (unavailable, interrupted, timed out):
//     the subscription is then marked unknown and the next check subscribes again.
// Subscribing is idempotent on the inbox, so an extra one costs one call and never a duplicate push. A deposit made on
// the new owner before the new subscription landed was pushed to nobody, so after subscribing again for either reason
// above the connection fetches the inbox and pushes what it holds (the phone de-duplicates by id). With the default
// check period and cluster heartbeat of one second each, pushes resume within about two seconds after the new owner
// took the partition.
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Gateway.Connections;

/// <summary>Subscribing to the phone's inbox, renewing it, and subscribing again when the inbox may have moved.</summary>
internal sealed partial class GatewayConnection
{
    private readonly SemaphoreSlim _subscribeNow = new(0, 1);
    private GrainId? _inboxId;
    private OwnerStamp? _subscribedAt;

    /// <summary>
    /// Called by <see cref="SubscriptionWatch"/>: subscribes again at once when the inbox's owner changed since the last
    /// subscribe, or the last subscribe or request failed with a cluster error.
    /// </summary>
    public void CheckSubscription(IPartitionDirectory directory)
    {
        // The reference is published after the inbox id, so reading it first sees a complete subscription or none.
        if (Volatile.Read(ref _observerReference) is null || _inboxId is not { } inbox)
        {
            return;
        }

        var owner = directory.Lookup(inbox);
        if (Volatile.Read(ref _subscribedAt) is { } stamp && stamp.Owner == owner.Owner && stamp.Epoch == owner.Epoch)
        {
            return;
        }

        LogResubscribing(_gateway.Logger, owner.Owner?.ToString() ?? "none known", owner.Epoch);
        if (_subscribeNow.CurrentCount == 0)
        {
            try
            {
                _subscribeNow.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another check signalled first: one subscribe is coming either way.
            }
        }
    }

    /// <summary>A request of this phone failed with <paramref name="exception"/>; a cluster error may mean its inbox moved.</summary>
    private void OnRequestFailed(Exception exception)
    {
        if (IsClusterFailure(exception))
        {
            Volatile.Write(ref _subscribedAt, null);
        }
    }

    private async Task JoinInboxAsync(string identity)
    {
        var reference = _gateway.Grains.CreateObjectReference<IInboxObserver>(this);
        var inbox = _gateway.Grains.GetGrain<IInboxGrain>(identity);
        _inboxId = ((GrainReference)(object)inbox).GrainId;
        try
        {
            await SubscribeAsync(inbox, reference);
        }
        catch
        {
            _gateway.Grains.DeleteObjectReference(reference);
            throw;
        }

        Volatile.Write(ref _observerReference, reference);
        _renewal = RenewSubscriptionAsync(inbox, reference);
    }

    // The inbox forgets subscriptions it has not heard from (a gateway that died cannot unsubscribe), so a live
    // connection renews well within that expiration; it also subscribes again whenever CheckSubscription asks.
    private async Task RenewSubscriptionAsync(IInboxGrain inbox, IInboxObserver reference)
    {
        using var timer = new PeriodicTimer(_gateway.Options.SubscriptionRenewal, _gateway.Time);
        var stopped = _aborted.Token;
        try
        {
            var renewal = timer.WaitForNextTickAsync(stopped).AsTask();
            var now = _subscribeNow.WaitAsync(stopped);
            while (true)
            {
                var renewed = await Task.WhenAny(renewal, now) == renewal;
                var catchingUp = !renewed;
                if (renewed)
                {
                    if (!await renewal)
                    {
                        return;
                    }

                    renewal = timer.WaitForNextTickAsync(stopped).AsTask();
                }
                else
                {
                    await now;
                    now = _subscribeNow.WaitAsync(stopped);
                }

                if (Volatile.Read(ref _observerReference) is null)
                {
                    // Left the inbox (the phone is going): subscribing now would only leave a subscription to expire.
                    return;
                }

                try
                {
                    // A renewal that finds the inbox under another owner (or follows a failure) is a re-subscription
                    // too: the deposits the new owner took before it are pushed only by the catch-up.
                    var before = Volatile.Read(ref _subscribedAt);
                    await SubscribeAsync(inbox, reference);
                    LogRenewed(_gateway.Logger);
                    catchingUp = !renewed || before is null || before != Volatile.Read(ref _subscribedAt);
                    if (catchingUp)
                    {
                        await CatchUpAsync(inbox);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException && catchingUp)
                {
                    // The subscribe or the catch-up failed: the next check subscribes and catches up again.
                    Volatile.Write(ref _subscribedAt, null);
                    LogRenewalFailed(_gateway.Logger, exception.GetType().Name, exception.Message);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRenewalFailed(_gateway.Logger, exception.GetType().Name, exception.Message);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Subscribes, noting whom the directory named as the inbox's owner just before; a failure leaves it unknown.</summary>
    private async Task SubscribeAsync(IInboxGrain inbox, IInboxObserver reference)
    {
        var owner = _gateway.Directory?.Lookup(_inboxId!.Value);
        Volatile.Write(ref _subscribedAt, owner is { } seen ? new OwnerStamp(seen.Owner, seen.Epoch) : null);
        try
        {
            await inbox.Subscribe(reference);
        }
        catch
        {
            Volatile.Write(ref _subscribedAt, null);
            throw;
        }
    }

    /// <summary>
    /// After subscribing again because the inbox may have moved: pushes every envelope the inbox holds, so one deposited
    /// on the new owner before this subscription reached it is not left waiting for the phone's next fetch. The phone
    /// de-duplicates deliveries by id, so envelopes it already has cost a frame each and nothing more.
    /// </summary>
    private async Task CatchUpAsync(IInboxGrain inbox)
    {
        var after = 0L;
        InboxPage page;
        do
        {
            page = await inbox.Fetch(after, DefaultFetchLimit);
            foreach (var envelope in page.Envelopes)
            {
                Push(envelope);
            }

            after = page.Next;
        }
        while (page.HasMore && Volatile.Read(ref _observerReference) is not null);
    }

    private async Task LeaveInboxAsync()
    {
        if (_observerReference is not { } reference)
        {
            return;
        }

        _observerReference = null;
        try
        {
            await _gateway.Grains.GetGrain<IInboxGrain>(_identityText!).Unsubscribe(reference);
        }
        catch (Exception exception)
        {
            // The subscription then simply expires; deleting the reference below already stops deliveries to it.
            LogRenewalFailed(_gateway.Logger, exception.GetType().Name, exception.Message);
        }
        finally
        {
            _gateway.Grains.DeleteObjectReference(reference);
        }
    }

    private static bool IsClusterFailure(Exception exception) =>
        exception is SiloUnavailableException or CallInterruptedException or TimeoutException;

    /// <summary>Whom the directory named as the inbox's owner, and at which epoch, when the connection last subscribed.</summary>
    private sealed record OwnerStamp(SiloAddress? Owner, long Epoch);

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 4005, Level = Microsoft.Extensions.Logging.LogLevel.Trace, Message = "Inbox subscription renewed")]
    private static partial void LogRenewed(Microsoft.Extensions.Logging.ILogger logger);

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 4004, Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "Inbox subscription change failed with {ExceptionType}: {Reason}")]
    private static partial void LogRenewalFailed(Microsoft.Extensions.Logging.ILogger logger, string exceptionType, string reason);

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 4031, Level = Microsoft.Extensions.Logging.LogLevel.Debug,
        Message = "Subscribing to the inbox again: it may have moved (owner now {Owner} at epoch {Epoch}) or the last subscribe or request failed")]
    private static partial void LogResubscribing(Microsoft.Extensions.Logging.ILogger logger, string owner, long epoch);
}
