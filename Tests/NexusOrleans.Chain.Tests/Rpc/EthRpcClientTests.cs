using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Chain.Tests.Anvil;
using NexusOrleans.Testing;

namespace NexusOrleans.Chain.Tests.Rpc;

public sealed class EthRpcClientTests
{
    [Fact]
    public async Task ChainId_NothingListening_ThrowsNodeUnreachable()
    {
        using var http = new HttpClient();
        var endpoint = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var rpc = new EthRpcClient(http, endpoint);

        var failure = await Assert.ThrowsAsync<ChainNodeUnreachableException>(() => rpc.ChainIdAsync(TestContext.Current.CancellationToken));

        Assert.Equal(endpoint, failure.Endpoint);
        Assert.Equal("eth_chainId", failure.Method);
    }

    [Fact]
    [Trait("Category", "E2E")]
    public async Task Request_UnknownMethod_ThrowsRpcErrorWithCodeAndMessage()
    {
        await using var node = await AnvilNode.StartAsync();

        var failure = await Assert.ThrowsAsync<ChainRpcException>(() => node.Rpc.RequestAsync("eth_noSuchMethod", [], TestContext.Current.CancellationToken));

        Assert.Equal(-32601, failure.Code);
        Assert.Contains("RPC error -32601", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "E2E")]
    public async Task Reads_AfterATransfer_ReturnBlockReceiptAndFees()
    {
        await using var node = await AnvilNode.StartAsync();
        var sender = node.Sender(0);

        var mined = await sender.SendAndWaitAsync(new TransactionRequest(node.Wallet(1).Address, [], 12345), TestContext.Current.CancellationToken);

        Assert.Equal(AnvilNode.ChainId, await node.Rpc.ChainIdAsync(TestContext.Current.CancellationToken));
        Assert.Equal(mined.Receipt.BlockNumber, await node.Rpc.BlockNumberAsync(TestContext.Current.CancellationToken));
        var byNumber = await node.Rpc.GetBlockByNumberAsync(mined.Receipt.BlockNumber, TestContext.Current.CancellationToken);
        var byHash = await node.Rpc.GetBlockByHashAsync(mined.Receipt.BlockHash, TestContext.Current.CancellationToken);
        Assert.Equal(mined.Receipt.BlockHash, byNumber!.Hash);
        Assert.Equal(byNumber, byHash);
        Assert.True(mined.Receipt.Succeeded);
        Assert.Equal(21_000ul, mined.Receipt.GasUsed);
        Assert.Equal(1ul, await node.Rpc.GetTransactionCountAsync(sender.Address, cancellationToken: TestContext.Current.CancellationToken));
        var history = await node.Rpc.FeeHistoryAsync(2, "latest", [50], TestContext.Current.CancellationToken);
        Assert.True(history.NextBaseFee > 0);
        Assert.True(await node.Rpc.MaxPriorityFeePerGasAsync(TestContext.Current.CancellationToken) >= 0);
        Assert.Null(await node.Rpc.GetBlockByNumberAsync(mined.Receipt.BlockNumber + 100, TestContext.Current.CancellationToken));
    }
}
