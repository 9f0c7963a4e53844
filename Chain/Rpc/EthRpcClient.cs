using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NexusOrleans.Chain.Serialization;

namespace NexusOrleans.Chain.Rpc;

/// <summary>
/// The Ethereum JSON-RPC methods the cluster needs, over HTTP. Each call is one POST; an error object becomes a
/// <see cref="ChainRpcException"/> (code, message, revert data) and a connection failure, timeout or non-JSON-RPC
/// answer a <see cref="ChainNodeUnreachableException"/>, so callers can tell "the node said no" from "no node".
/// Safe for concurrent use (HttpClient is).
/// </summary>
public sealed class EthRpcClient
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private long _nextId;

    public EthRpcClient(HttpClient http, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = endpoint;
    }

    public Uri Endpoint => _endpoint;

    public async Task<ulong> ChainIdAsync(CancellationToken cancellationToken = default) =>
        (ulong)Hex.ParseQuantity(await QuantityAsync("eth_chainId", [], cancellationToken));

    public async Task<ulong> BlockNumberAsync(CancellationToken cancellationToken = default) =>
        (ulong)Hex.ParseQuantity(await QuantityAsync("eth_blockNumber", [], cancellationToken));

    /// <summary>The account's nonce count at <paramref name="block"/> ("pending" counts transactions in the pool).</summary>
    public async Task<ulong> GetTransactionCountAsync(string address, string block = "pending", CancellationToken cancellationToken = default) =>
        (ulong)Hex.ParseQuantity(await QuantityAsync("eth_getTransactionCount", [address, block], cancellationToken));

    public async Task<BigInteger> GetBalanceAsync(string address, string block = "latest", CancellationToken cancellationToken = default) =>
        Hex.ParseQuantity(await QuantityAsync("eth_getBalance", [address, block], cancellationToken));

    public async Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default) =>
        (ulong)Hex.ParseQuantity(await QuantityAsync("eth_estimateGas", [CallObject(call)], cancellationToken));

    public async Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        Hex.ParseQuantity(await QuantityAsync("eth_maxPriorityFeePerGas", [], cancellationToken));

    /// <summary>eth_feeHistory over the last <paramref name="blockCount"/> blocks up to <paramref name="newestBlock"/>.</summary>
    public async Task<FeeHistory> FeeHistoryAsync(int blockCount, string newestBlock, IReadOnlyList<double> rewardPercentiles, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("eth_feeHistory", [Hex.Quantity(blockCount), newestBlock, new JsonArray([.. rewardPercentiles.Select(p => JsonValue.Create(p))])], cancellationToken)
            ?? throw Malformed("eth_feeHistory");
        var baseFees = result["baseFeePerGas"]?.AsArray().Select(v => Hex.ParseQuantity(v!.GetValue<string>())).ToArray() ?? [];
        var rewards = result["reward"]?.AsArray().Select(row => (IReadOnlyList<BigInteger>)row!.AsArray().Select(v => Hex.ParseQuantity(v!.GetValue<string>())).ToArray()).ToArray() ?? [];
        return new FeeHistory((ulong)Hex.ParseQuantity(result["oldestBlock"]!.GetValue<string>()), baseFees, rewards);
    }

    /// <summary>Sends signed raw bytes; returns the hash the node computed.</summary>
    public Task<string> SendRawTransactionAsync(byte[] raw, CancellationToken cancellationToken = default) =>
        QuantityAsync("eth_sendRawTransaction", [Hex.Encode(raw)], cancellationToken);

    /// <summary>The receipt, or null while the transaction is not in a block of the node's canonical chain.</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(string hash, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("eth_getTransactionReceipt", [hash], cancellationToken);
        return result is null ? null : ParseReceipt(result);
    }

    /// <summary>Whether the node knows the transaction at all (pending or mined); false after it was dropped or reorged out.</summary>
    public async Task<bool> IsTransactionKnownAsync(string hash, CancellationToken cancellationToken = default) =>
        await RequestAsync("eth_getTransactionByHash", [hash], cancellationToken) is not null;

    /// <summary>A block by number ("latest", "pending", or a quantity); null when there is none.</summary>
    public async Task<BlockHeader?> GetBlockByNumberAsync(string block, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("eth_getBlockByNumber", [block, false], cancellationToken);
        return result is null ? null : ParseBlock(result);
    }

    public Task<BlockHeader?> GetBlockByNumberAsync(ulong number, CancellationToken cancellationToken = default) =>
        GetBlockByNumberAsync(Hex.Quantity(number), cancellationToken);

    public async Task<BlockHeader?> GetBlockByHashAsync(string hash, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("eth_getBlockByHash", [hash, false], cancellationToken);
        return result is null ? null : ParseBlock(result);
    }

    /// <summary>eth_call: the return data; a revert throws <see cref="ChainRpcException"/> with <c>RevertData</c>.</summary>
    public async Task<byte[]> CallAsync(CallRequest call, string block = "latest", CancellationToken cancellationToken = default) =>
        Hex.Decode(await QuantityAsync("eth_call", [CallObject(call), block], cancellationToken));

    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var request = new JsonObject { ["fromBlock"] = Hex.Quantity(filter.FromBlock), ["toBlock"] = filter.ToBlock is { } to ? Hex.Quantity(to) : "latest" };
        if (filter.Address is not null)
        {
            request["address"] = filter.Address;
        }

        if (filter.Topics is not null)
        {
            request["topics"] = new JsonArray([.. filter.Topics.Select(t => t is null ? null : (JsonNode)new JsonArray([.. t.Select(v => JsonValue.Create(v))]))]);
        }

        var result = await RequestAsync("eth_getLogs", [request], cancellationToken) ?? throw Malformed("eth_getLogs");
        return result.AsArray().Select(log => ParseLog(log!)).ToArray();
    }

    /// <summary>Any other method (node-specific ones such as anvil_reorg or evm_mine); returns the raw result.</summary>
    public async Task<JsonNode?> RequestAsync(string method, JsonNode?[] parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = new JsonArray(parameters.Select(p => p?.DeepClone()).ToArray()),
        };

        JsonNode? answer;
        try
        {
            using var response = await _http.PostAsJsonAsync(_endpoint, request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                answer = JsonNode.Parse(body);
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
                throw new ChainNodeUnreachableException(_endpoint, method, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
        catch (HttpRequestException exception)
        {
            throw new ChainNodeUnreachableException(_endpoint, method, exception.Message, exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChainNodeUnreachableException(_endpoint, method, "the request timed out", exception);
        }
        catch (JsonException exception)
        {
            throw new ChainNodeUnreachableException(_endpoint, method, "the answer is not JSON", exception);
        }

        if (answer is not JsonObject reply)
        {
            throw Malformed(method);
        }

        if (reply["error"] is JsonObject error)
        {
            var data = error["data"];
            throw new ChainRpcException(
                method,
                error["code"]?.GetValue<int>() ?? 0,
                error["message"]?.GetValue<string>() ?? "",
                data is JsonValue value && value.TryGetValue<string>(out var text) ? text : data?.ToJsonString());
        }

        if (!reply.ContainsKey("result"))
        {
            throw Malformed(method);
        }

        return reply["result"];
    }

    private async Task<string> QuantityAsync(string method, JsonNode?[] parameters, CancellationToken cancellationToken)
    {
        var result = await RequestAsync(method, parameters, cancellationToken).ConfigureAwait(false);
        return result is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw Malformed(method);
    }

    private ChainNodeUnreachableException Malformed(string method) =>
        new(_endpoint, method, "the answer is not a JSON-RPC 2.0 response with the expected result");

    private static JsonObject CallObject(CallRequest call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var json = new JsonObject();
        if (call.From is not null)
        {
            json["from"] = call.From;
        }

        if (call.To is not null)
        {
            json["to"] = call.To;
        }

        json["data"] = Hex.Encode(call.Data);
        if (call.Value is { } value)
        {
            json["value"] = Hex.Quantity(value);
        }

        if (call.Gas is { } gas)
        {
            json["gas"] = Hex.Quantity(gas);
        }

        return json;
    }

    private static TransactionReceipt ParseReceipt(JsonNode node) => new(
        node["transactionHash"]!.GetValue<string>(),
        node["blockHash"]!.GetValue<string>(),
        (ulong)Q(node["blockNumber"]),
        Q(node["status"]) == 1,
        node["contractAddress"]?.GetValue<string>(),
        (ulong)Q(node["gasUsed"]),
        node["effectiveGasPrice"] is null ? 0 : Q(node["effectiveGasPrice"]),
        node["logs"]?.AsArray().Select(log => ParseLog(log!)).ToArray() ?? []);

    private static BlockHeader ParseBlock(JsonNode node) => new(
        (ulong)Q(node["number"]),
        node["hash"]!.GetValue<string>(),
        node["parentHash"]!.GetValue<string>(),
        (ulong)Q(node["timestamp"]),
        node["baseFeePerGas"] is null ? null : Q(node["baseFeePerGas"]));

    private static LogEntry ParseLog(JsonNode node) => new(
        node["address"]!.GetValue<string>(),
        node["topics"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray(),
        Hex.Decode(node["data"]!.GetValue<string>()),
        node["blockNumber"] is null ? null : (ulong)Q(node["blockNumber"]),
        node["blockHash"]?.GetValue<string>(),
        node["transactionHash"]?.GetValue<string>(),
        node["logIndex"] is null ? null : (ulong)Q(node["logIndex"]),
        node["removed"]?.GetValue<bool>() ?? false);

    private static BigInteger Q(JsonNode? node) => Hex.ParseQuantity(node!.GetValue<string>());
}
