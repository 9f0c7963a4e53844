using System.Numerics;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Chain.Sending;

/// <summary>The chain client's log events, ids 4100–4199. Hashes, nonces and fees only: never a key or raw signed bytes.</summary>
internal static partial class ChainLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Sent transaction {Hash} from {From} at nonce {Nonce} (max fee {MaxFeePerGas}, tip {MaxPriorityFeePerGas} wei/gas)")]
    public static partial void TransactionSent(ILogger logger, string hash, string from, ulong nonce, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Transaction {PreviousHash} at nonce {Nonce} not mined in time; replaced by {Hash} (max fee {MaxFeePerGas}, tip {MaxPriorityFeePerGas} wei/gas)")]
    public static partial void TransactionReplaced(ILogger logger, string previousHash, ulong nonce, string hash, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "The node no longer knows transaction {Hash} at nonce {Nonce} (dropped or reorged out); sent the same signed bytes again")]
    public static partial void TransactionResent(ILogger logger, string hash, ulong nonce);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Transaction {Hash} at nonce {Nonce} mined in block {BlockNumber} with {Confirmations} confirmations")]
    public static partial void TransactionMined(ILogger logger, string hash, ulong nonce, ulong blockNumber, ulong confirmations);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "The node refused nonce {LocalNonce} of {From} as too low; re-synced to its pending count {NodeNonce}")]
    public static partial void NonceResynced(ILogger logger, string from, ulong localNonce, ulong nodeNonce);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Receipt of {Hash} names block {BlockHash} at {BlockNumber}, which is no longer canonical; waiting again")]
    public static partial void ReceiptNotCanonical(ILogger logger, string hash, string blockHash, ulong blockNumber);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Transaction {Hash} at nonce {Nonce} was mined in block {BlockNumber} but reverted")]
    public static partial void TransactionReverted(ILogger logger, string hash, ulong nonce, ulong blockNumber);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "The node refused the replacement at nonce {Nonce}: {Reason}")]
    public static partial void ReplacementRefused(ILogger logger, ulong nonce, string reason);
}
