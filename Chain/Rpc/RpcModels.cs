using System.Numerics;

namespace NexusOrleans.Chain.Rpc;

/// <summary>The parameters of eth_call and eth_estimateGas; null members are left out of the request.</summary>
public sealed record CallRequest(string? From, string? To, byte[] Data, BigInteger? Value = null, ulong? Gas = null);

/// <summary>The header fields of a block this client reads.</summary>
public sealed record BlockHeader(ulong Number, string Hash, string ParentHash, ulong Timestamp, BigInteger? BaseFeePerGas);

/// <summary>A log as eth_getLogs and receipts return it.</summary>
public sealed record LogEntry(
    string Address,
    IReadOnlyList<string> Topics,
    byte[] Data,
    ulong? BlockNumber,
    string? BlockHash,
    string? TransactionHash,
    ulong? LogIndex,
    bool Removed);

/// <summary>A mined transaction's receipt. <see cref="Succeeded"/> is status 1; status 0 means it reverted.</summary>
public sealed record TransactionReceipt(
    string TransactionHash,
    string BlockHash,
    ulong BlockNumber,
    bool Succeeded,
    string? ContractAddress,
    ulong GasUsed,
    BigInteger EffectiveGasPrice,
    IReadOnlyList<LogEntry> Logs);

/// <summary>eth_feeHistory: base fees of the blocks asked for plus the next block's, and the reward percentiles.</summary>
public sealed record FeeHistory(ulong OldestBlock, IReadOnlyList<BigInteger> BaseFeePerGas, IReadOnlyList<IReadOnlyList<BigInteger>> Reward)
{
    /// <summary>The base fee of the block after the newest one asked for.</summary>
    public BigInteger NextBaseFee => BaseFeePerGas.Count > 0 ? BaseFeePerGas[^1] : BigInteger.Zero;
}

/// <summary>The filter of eth_getLogs; each topic position is null (any) or one of several values.</summary>
public sealed record LogFilter(string? Address, ulong FromBlock, ulong? ToBlock, IReadOnlyList<IReadOnlyList<string>?>? Topics = null);
