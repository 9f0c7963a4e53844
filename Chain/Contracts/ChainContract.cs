using NexusOrleans.Chain.Abi;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;

namespace NexusOrleans.Chain.Contracts;

/// <summary>
/// A deployed contract at <see cref="Address"/>: reads through eth_call, writes as <see cref="TransactionRequest"/>s that
/// any <see cref="TransactionSender"/> sends, and reverts turned into <see cref="ContractRevertedException"/> with the
/// error decoded by this contract's ABI.
/// </summary>
public abstract class ChainContract
{
    protected ChainContract(EthRpcClient rpc, ContractArtifact artifact, string address)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(artifact);
        Protocol.Settlement.AbiEncoder.ParseAddress(address, nameof(address));
        Rpc = rpc;
        Artifact = artifact;
        Address = address;
    }

    public string Address { get; }

    public ContractArtifact Artifact { get; }

    public ContractAbi Abi => Artifact.Abi;

    protected EthRpcClient Rpc { get; }

    /// <summary>The transaction that calls <paramref name="function"/> with <paramref name="arguments"/>.</summary>
    public TransactionRequest Request(string function, params object?[] arguments) =>
        new(Address, Abi.Function(function).EncodeCall(arguments));

    /// <summary>Sends <paramref name="request"/> (made by this contract) and waits for its confirmations.</summary>
    public async Task<MinedTransaction> SendAsync(TransactionSender sender, TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(request);
        var function = FunctionOf(request.Data);
        try
        {
            return await sender.SendAndWaitAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ChainRpcException exception) when (exception.RevertData is not null)
        {
            throw new ContractRevertedException(Artifact.Name, function, Abi.DecodeError(exception.RevertData), exception.RevertData, exception);
        }
        catch (TransactionRevertedException exception)
        {
            // Mined and reverted: run the same call on the state before its block to learn the reason.
            var data = await ReplayRevertDataAsync(sender.Address, request, exception.Mined.Receipt.BlockNumber, cancellationToken).ConfigureAwait(false);
            throw new ContractRevertedException(Artifact.Name, function, Abi.DecodeError(data), data, exception);
        }
    }

    /// <summary>The events called <paramref name="eventName"/> this contract emitted in <paramref name="receipt"/>.</summary>
    public IReadOnlyList<DecodedEvent> EventsIn(TransactionReceipt receipt, string eventName)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var abiEvent = Abi.Event(eventName);
        return receipt.Logs
            .Where(log => string.Equals(log.Address, Address, StringComparison.OrdinalIgnoreCase) && abiEvent.Matches(log))
            .Select(abiEvent.Decode)
            .ToArray();
    }

    /// <summary>The events called <paramref name="eventName"/> in the canonical blocks from <paramref name="fromBlock"/> on.</summary>
    public async Task<IReadOnlyList<DecodedEvent>> GetEventsAsync(string eventName, ulong fromBlock = 0, ulong? toBlock = null, CancellationToken cancellationToken = default)
    {
        var abiEvent = Abi.Event(eventName);
        var logs = await Rpc.GetLogsAsync(new LogFilter(Address, fromBlock, toBlock, [[abiEvent.TopicHex]]), cancellationToken).ConfigureAwait(false);
        return logs.Where(log => !log.Removed).Select(abiEvent.Decode).ToArray();
    }

    /// <summary>Calls a view function and returns its decoded outputs.</summary>
    protected async Task<AbiValues> CallAsync(string function, object?[] arguments, CancellationToken cancellationToken)
    {
        var abiFunction = Abi.Function(function);
        try
        {
            var output = await Rpc.CallAsync(new CallRequest(null, Address, abiFunction.EncodeCall(arguments)), "latest", cancellationToken).ConfigureAwait(false);
            return abiFunction.DecodeOutput(output);
        }
        catch (ChainRpcException exception) when (exception.RevertData is not null)
        {
            throw new ContractRevertedException(Artifact.Name, function, Abi.DecodeError(exception.RevertData), exception.RevertData, exception);
        }
    }

    private async Task<byte[]> ReplayRevertDataAsync(string from, TransactionRequest request, ulong blockNumber, CancellationToken cancellationToken)
    {
        try
        {
            var block = Serialization.Hex.Quantity(blockNumber == 0 ? 0 : blockNumber - 1);
            await Rpc.CallAsync(new CallRequest(from, request.To, request.Data, request.Value), block, cancellationToken).ConfigureAwait(false);
            return [];
        }
        catch (ChainRpcException exception)
        {
            return exception.RevertData ?? [];
        }
    }

    private string FunctionOf(byte[] data) =>
        data.Length >= 4 ? Abi.Functions.FirstOrDefault(f => f.Selector.AsSpan().SequenceEqual(data.AsSpan(0, 4)))?.Name ?? "?" : "?";
}
