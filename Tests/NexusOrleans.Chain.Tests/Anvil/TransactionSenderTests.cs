using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json.Nodes;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Protocol.Settlement;
using NexusOrleans.Testing;

namespace NexusOrleans.Chain.Tests.Anvil;

/// <summary>The sender's failure handling against a real anvil: reorgs, stuck transactions, nonces used elsewhere.</summary>
[Trait("Category", "E2E")]
public sealed class TransactionSenderTests
{
    [Fact]
    public async Task WaitAsync_AnchorReorgedAway_ResendsTheSameSignedTransactionMinedOnce()
    {
        await using var chain = await DeployedChain.StartAsync();
        var sender = chain.Node.Sender(1, new TransactionSenderOptions { Confirmations = 2, PollInterval = TimeSpan.FromMilliseconds(10) });
        var root = EpochBatchTree.Build([new EpochLeaf(chain.Node.Wallet(4).Address, 10, 0)]).Root;
        var progress = new ConcurrentQueue<TransactionProgress>();

        var sent = await sender.SendAsync(chain.Distributor.AnchorRequest(77, root), TestContext.Current.CancellationToken);
        var waiting = sender.WaitAsync(sent, (step, _) => { progress.Enqueue(step); return ValueTask.CompletedTask; }, TestContext.Current.CancellationToken);
        await Poll.UntilAsync(() => progress.Any(p => p.Kind == TransactionProgressKind.Included), "the anchor is seen in a block");
        var firstBlock = (await chain.Node.Rpc.GetTransactionReceiptAsync(sent.Latest.Hash, TestContext.Current.CancellationToken))!.BlockHash;

        await chain.Node.SendAsync("anvil_reorg", 1, new JsonArray());
        Assert.Null(await chain.Node.Rpc.GetTransactionReceiptAsync(sent.Latest.Hash, TestContext.Current.CancellationToken));
        await Poll.UntilAsync(() => progress.Any(p => p.Kind == TransactionProgressKind.Resent), "the anchor is sent again");
        await Poll.UntilAsync(async () => await chain.Node.Rpc.GetTransactionReceiptAsync(sent.Latest.Hash, TestContext.Current.CancellationToken) is not null, "the resent anchor is mined");
        await chain.Node.MineAsync();
        var mined = await waiting.WaitAsync(Poll.DefaultPatience, TestContext.Current.CancellationToken);

        Assert.Equal(sent.Latest.Hash, mined.Hash);
        Assert.Single(mined.Sent.Attempts);
        Assert.NotEqual(firstBlock, mined.Receipt.BlockHash);
        Assert.True(mined.Confirmations >= 2);
        Assert.Equal(root, await chain.Distributor.AnchoredRootAsync(77, TestContext.Current.CancellationToken));
        var anchored = (await chain.Distributor.GetEventsAsync("Anchored", cancellationToken: TestContext.Current.CancellationToken)).Where(e => (BigInteger)e.Arguments["epoch"] == 77).ToArray();
        Assert.Equal(mined.Hash, Assert.Single(anchored).Log.TransactionHash);
        Assert.Equal(sent.Nonce + 1, await chain.Node.Rpc.GetTransactionCountAsync(sender.Address, "latest", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitAsync_NotMinedByTheDeadline_ReplacesAtTheSameNonceWithHigherFeesAndOneIsMined()
    {
        await using var chain = await DeployedChain.StartAsync();
        var clock = new ManualTimeProvider();
        var options = new TransactionSenderOptions { Confirmations = 1, PollInterval = TimeSpan.FromSeconds(1), ReplaceAfter = TimeSpan.FromMinutes(1) };
        var sender = chain.Node.Sender(1, options, clock);
        var root = EpochBatchTree.Build([new EpochLeaf(chain.Node.Wallet(4).Address, 10, 0)]).Root;
        var progress = new ConcurrentQueue<TransactionProgress>();
        await chain.Node.SendAsync("evm_setAutomine", false);

        var sent = await sender.SendAsync(chain.Distributor.AnchorRequest(88, root), TestContext.Current.CancellationToken);
        var waiting = sender.WaitAsync(sent, (step, _) => { progress.Enqueue(step); return ValueTask.CompletedTask; }, TestContext.Current.CancellationToken);
        await Poll.UntilAsync(() => clock.ActiveTimers > 0, "the sender waits for its next poll");
        Assert.Empty(progress);
        clock.Advance(options.ReplaceAfter);
        await PumpAsync(clock, options.PollInterval, () => progress.Any(p => p.Kind == TransactionProgressKind.Replaced), "a replacement is sent");
        await chain.Node.MineAsync();
        await PumpAsync(clock, options.PollInterval, () => waiting.IsCompleted, "the sender sees a receipt");
        var mined = await waiting;

        var replaced = progress.Single(p => p.Kind == TransactionProgressKind.Replaced).Transaction;
        Assert.Equal(2, replaced.Attempts.Count);
        Assert.Equal(sent.Nonce, replaced.Nonce);
        Assert.True(replaced.Attempts[1].MaxFeePerGas * 100 >= replaced.Attempts[0].MaxFeePerGas * 110);
        Assert.True(replaced.Attempts[1].MaxPriorityFeePerGas * 100 >= replaced.Attempts[0].MaxPriorityFeePerGas * 110);
        Assert.Contains(mined.Hash, replaced.Hashes);
        var receipts = new List<TransactionReceipt>();
        foreach (var hash in replaced.Hashes)
        {
            if (await chain.Node.Rpc.GetTransactionReceiptAsync(hash, TestContext.Current.CancellationToken) is { } receipt)
            {
                receipts.Add(receipt);
            }
        }

        Assert.Equal(mined.Hash, Assert.Single(receipts).TransactionHash);
        Assert.Equal(sent.Nonce + 1, await chain.Node.Rpc.GetTransactionCountAsync(sender.Address, "latest", TestContext.Current.CancellationToken));
        Assert.Equal(root, await chain.Distributor.AnchoredRootAsync(88, TestContext.Current.CancellationToken));
        Assert.Single(await chain.Distributor.GetEventsAsync("Anchored", cancellationToken: TestContext.Current.CancellationToken), e => (BigInteger)e.Arguments["epoch"] == 88);
    }

    [Fact]
    public async Task SendAsync_NonceUsedByAnotherSenderOfTheAccount_ResyncsFromTheNodeAndSends()
    {
        await using var node = await AnvilNode.StartAsync();
        var first = node.Sender(3);
        var second = node.Sender(3); // the same account from a restarted process
        var to = node.Wallet(4).Address;
        await first.SendAndWaitAsync(new TransactionRequest(to, [], 1), TestContext.Current.CancellationToken);
        await second.SendAndWaitAsync(new TransactionRequest(to, [], 1), TestContext.Current.CancellationToken);

        var mined = await first.SendAndWaitAsync(new TransactionRequest(to, [], 1), TestContext.Current.CancellationToken);

        Assert.Equal(2ul, mined.Sent.Nonce);
        Assert.Equal(3ul, await node.Rpc.GetTransactionCountAsync(first.Address, "latest", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitAsync_AfterARestart_FindsTheTransactionFromThePersistedRecord()
    {
        await using var node = await AnvilNode.StartAsync();
        var sent = await node.Sender(3).SendAsync(new TransactionRequest(node.Wallet(4).Address, [], 5), TestContext.Current.CancellationToken);

        var restarted = node.Sender(3);
        var mined = await restarted.WaitAsync(sent with { Attempts = [.. sent.Attempts] }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(sent.Latest.Hash, mined.Hash);
        Assert.True(mined.Receipt.Succeeded);
    }

    /// <summary>Moves the manual clock one poll interval whenever the sender is waiting on it, until <paramref name="done"/>.</summary>
    private static Task PumpAsync(ManualTimeProvider clock, TimeSpan step, Func<bool> done, string description) =>
        Poll.UntilAsync(
            () =>
            {
                if (!done() && clock.ActiveTimers > 0)
                {
                    clock.Advance(step);
                }

                return done();
            },
            description);
}
