using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Serialization;
using NexusOrleans.Chain.Transactions;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Chain.Sending;

/// <summary>
/// Sends EIP-1559 transactions from one account and sees each through to a confirmed receipt.
/// </summary>
/// <remarks>
/// <para>
/// <b>Nonces.</b> This sender must be the only one sending from its account. It keeps the next nonce locally, seeded
/// from the node's pending transaction count on first use, and advances it only when the node accepted a transaction.
/// Sends are serialized, so two concurrent calls never sign the same nonce. When the node answers "nonce too low" (a
/// transaction this process does not remember, e.g. from before a restart) the counter is re-read from the node and
/// the send retried; a connection failure during a send forgets the counter, since the node may or may not have taken
/// the transaction, and the next send re-reads it. <see cref="ForgetNonceAsync"/> makes the next send re-read it too, for
/// a caller that saw its confirmed transactions leave the chain (their nonces are free again).
/// </para>
/// <para>
/// <b>Waiting.</b> <see cref="WaitAsync"/> polls every <see cref="TransactionSenderOptions.PollInterval"/> for a
/// receipt of any attempt at the nonce. A receipt counts only while its block is canonical:
/// eth_getBlockByNumber(receipt.blockNumber).hash must equal receipt.blockHash. It is done once the head is
/// <see cref="TransactionSenderOptions.Confirmations"/> − 1 blocks past that block. The answer names the attempt that
/// was mined; every other attempt is then invalid for good (same nonce).
/// </para>
/// <para>
/// <b>Reorgs and drops.</b> When no attempt has a receipt and the node knows none of them (their block was reorged
/// away and the node did not put them back in its pool, or the pool evicted them), the latest attempt's signed bytes
/// are sent again unchanged: same hash, same nonce, so it cannot be mined twice.
/// </para>
/// <para>
/// <b>Stuck transactions.</b> When nothing is mined <see cref="TransactionSenderOptions.ReplaceAfter"/> after the
/// latest attempt (measured on the injected <see cref="TimeProvider"/>), a replacement is signed at the same nonce
/// with both fees raised by at least <see cref="TransactionSenderOptions.FeeBumpPercent"/> and at least what the node
/// now suggests. Earlier attempts stay in the record and are still looked for, since any of them may be mined first.
/// Each replacement is reported through the progress callback before waiting goes on, so a worker can persist the
/// record and, after a restart, call <see cref="WaitAsync"/> again with it.
/// </para>
/// </remarks>
public sealed class TransactionSender
{
    private readonly EthRpcClient _rpc;
    private readonly EvmWallet _wallet;
    private readonly TransactionSenderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ulong? _nextNonce;
    private ulong? _chainId;

    public TransactionSender(EthRpcClient rpc, EvmWallet wallet, TransactionSenderOptions options, TimeProvider? timeProvider = null, ILogger<TransactionSender>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(wallet);
        ArgumentNullException.ThrowIfNull(options);
        var validation = new TransactionSenderOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(TransactionSenderOptions.SectionName, typeof(TransactionSenderOptions), validation.Failures);
        }

        _rpc = rpc;
        _wallet = wallet;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The account this sender signs for.</summary>
    public string Address => _wallet.Address;

    public EthRpcClient Rpc => _rpc;

    /// <summary>
    /// Prices, signs and hands one transaction to the node, and returns the record to wait on. A call that would revert
    /// fails here (gas estimation runs it) with <see cref="ChainRpcException.RevertData"/>, and uses no nonce.
    /// </summary>
    public async Task<SentTransaction> SendAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Data);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var chainId = _chainId ??= await _rpc.ChainIdAsync(cancellationToken).ConfigureAwait(false);
            var gasLimit = request.GasLimit ?? await EstimateGasAsync(request, cancellationToken).ConfigureAwait(false);
            var (maxFee, tip) = await SuggestFeesAsync(cancellationToken).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                var nonce = _nextNonce ??= await _rpc.GetTransactionCountAsync(Address, "pending", cancellationToken).ConfigureAwait(false);
                var signed = new Eip1559Transaction(chainId, nonce, tip, maxFee, gasLimit, request.To, request.Value, request.Data).Sign(_wallet.PrivateKey);
                try
                {
                    await _rpc.SendRawTransactionAsync(signed.Raw, cancellationToken).ConfigureAwait(false);
                }
                catch (ChainRpcException exception) when (exception.IsNonceTooLow && attempt < 3)
                {
                    var nodeNonce = await _rpc.GetTransactionCountAsync(Address, "pending", cancellationToken).ConfigureAwait(false);
                    ChainLog.NonceResynced(_logger, Address, nonce, nodeNonce);
                    _nextNonce = nodeNonce;
                    continue;
                }
                catch (ChainNodeUnreachableException)
                {
                    _nextNonce = null; // the node may have taken it: ask again next time
                    throw;
                }

                _nextNonce = nonce + 1;
                ChainLog.TransactionSent(_logger, signed.Hash, Address, nonce, maxFee, tip);
                var sent = new SentAttempt(signed.Hash, signed.RawHex, maxFee, tip, _time.GetUtcNow());
                return new SentTransaction(chainId, Address, nonce, request.To, gasLimit, request.Value, request.Data, [sent]);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Forgets the locally kept next nonce, so the next send asks the node for the account's pending count. For when
    /// transactions of this account left the chain for good (a reorg deeper than the confirmations waited for): their
    /// nonces are free again, and a counter past them would leave every later transaction waiting behind the gap.
    /// </summary>
    public async Task ForgetNonceAsync(CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _nextNonce = null;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends and waits; a reverted transaction throws <see cref="TransactionRevertedException"/>.</summary>
    public async Task<MinedTransaction> SendAndWaitAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var sent = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await WaitAsync(sent, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until one attempt of <paramref name="sent"/> has the confirmations asked for, resending after a reorg and
    /// replacing when stuck (see the class remarks). Also the way to resume after a restart with a persisted record.
    /// </summary>
    public async Task<MinedTransaction> WaitAsync(SentTransaction sent, Func<TransactionProgress, CancellationToken, ValueTask>? onProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        if (sent.Attempts.Count == 0 || !string.Equals(sent.From, Address, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A transaction to wait for has at least one attempt and is from {Address}.", nameof(sent));
        }

        var current = sent;
        string? reportedIncluded = null;
        var nonceTaken = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (hash, receipt) = await FindCanonicalReceiptAsync(current, cancellationToken).ConfigureAwait(false);
            if (receipt is not null)
            {
                var head = await _rpc.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
                var confirmations = head >= receipt.BlockNumber ? head - receipt.BlockNumber + 1 : 0;
                if (confirmations >= (ulong)Math.Max(1, _options.Confirmations))
                {
                    var mined = new MinedTransaction(current, hash!, receipt, confirmations);
                    if (!receipt.Succeeded)
                    {
                        ChainLog.TransactionReverted(_logger, hash!, current.Nonce, receipt.BlockNumber);
                        throw new TransactionRevertedException(mined);
                    }

                    ChainLog.TransactionMined(_logger, hash!, current.Nonce, receipt.BlockNumber, confirmations);
                    return mined;
                }

                if (reportedIncluded != receipt.BlockHash)
                {
                    reportedIncluded = receipt.BlockHash;
                    await ReportAsync(onProgress, TransactionProgressKind.Included, current, hash!, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (!await AnyKnownAsync(current, cancellationToken).ConfigureAwait(false))
            {
                var latest = current.Latest;
                try
                {
                    await _rpc.SendRawTransactionAsync(Hex.Decode(latest.RawTransaction), cancellationToken).ConfigureAwait(false);
                    ChainLog.TransactionResent(_logger, latest.Hash, current.Nonce);
                    await ReportAsync(onProgress, TransactionProgressKind.Resent, current, latest.Hash, cancellationToken).ConfigureAwait(false);
                }
                catch (ChainRpcException exception) when (exception.IsAlreadyKnown)
                {
                    // Back in the pool between our two questions: nothing to do.
                }
                catch (ChainRpcException exception) when (exception.IsNonceTooLow)
                {
                    // Either one of ours was mined a moment ago (the next round finds its receipt) or someone else used the nonce.
                    if (++nonceTaken >= 3)
                    {
                        throw new NonceConsumedException(current);
                    }
                }
            }
            else if (_time.GetUtcNow() - current.Latest.SentAt >= _options.ReplaceAfter)
            {
                current = await ReplaceAsync(current, onProgress, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The fees a new transaction offers: the tip recent blocks paid (at least the configured minimum) and twice the next base fee on top.</summary>
    public async Task<(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas)> SuggestFeesAsync(CancellationToken cancellationToken = default)
    {
        var history = await _rpc.FeeHistoryAsync(_options.FeeHistoryBlocks, "latest", [50], cancellationToken).ConfigureAwait(false);
        var tips = history.Reward.Where(row => row.Count > 0).Select(row => row[0]).Order().ToArray();
        var tip = BigInteger.Max(_options.MinPriorityFeePerGas, tips.Length == 0 ? BigInteger.Zero : tips[tips.Length / 2]);
        var maxFee = (2 * history.NextBaseFee) + tip;
        if (_options.MaxFeePerGasCap is { } cap && maxFee > cap)
        {
            throw new InvalidOperationException(
                $"The node's fees need a max fee of {maxFee} wei/gas, above {TransactionSenderOptions.SectionName}:MaxFeePerGasCap {cap}; the transaction was not sent.");
        }

        return (maxFee, tip);
    }

    private async Task<ulong> EstimateGasAsync(TransactionRequest request, CancellationToken cancellationToken)
    {
        var estimate = await _rpc.EstimateGasAsync(new CallRequest(Address, request.To, request.Data, request.Value), cancellationToken).ConfigureAwait(false);
        return estimate + (estimate * (ulong)_options.GasLimitMarginPercent / 100);
    }

    private async Task<(string? Hash, TransactionReceipt? Receipt)> FindCanonicalReceiptAsync(SentTransaction sent, CancellationToken cancellationToken)
    {
        foreach (var attempt in sent.Attempts.Reverse())
        {
            var receipt = await _rpc.GetTransactionReceiptAsync(attempt.Hash, cancellationToken).ConfigureAwait(false);
            if (receipt is null)
            {
                continue;
            }

            var block = await _rpc.GetBlockByNumberAsync(receipt.BlockNumber, cancellationToken).ConfigureAwait(false);
            if (block is null || !string.Equals(block.Hash, receipt.BlockHash, StringComparison.OrdinalIgnoreCase))
            {
                ChainLog.ReceiptNotCanonical(_logger, attempt.Hash, receipt.BlockHash, receipt.BlockNumber);
                return (null, null);
            }

            return (attempt.Hash, receipt);
        }

        return (null, null);
    }

    private async Task<bool> AnyKnownAsync(SentTransaction sent, CancellationToken cancellationToken)
    {
        foreach (var attempt in sent.Attempts)
        {
            if (await _rpc.IsTransactionKnownAsync(attempt.Hash, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<SentTransaction> ReplaceAsync(SentTransaction current, Func<TransactionProgress, CancellationToken, ValueTask>? onProgress, CancellationToken cancellationToken)
    {
        var previous = current.Latest;
        var (suggestedMax, suggestedTip) = await SuggestFeesAsync(cancellationToken).ConfigureAwait(false);
        var tip = BigInteger.Max(Bump(previous.MaxPriorityFeePerGas), suggestedTip);
        var maxFee = BigInteger.Max(BigInteger.Max(Bump(previous.MaxFeePerGas), suggestedMax), tip);
        if (_options.MaxFeePerGasCap is { } cap && maxFee > cap)
        {
            ChainLog.ReplacementRefused(_logger, current.Nonce, $"a max fee of {maxFee} would pass the cap {cap}");
            return current with { Attempts = [.. current.Attempts.Take(current.Attempts.Count - 1), previous with { SentAt = _time.GetUtcNow() }] };
        }

        var signed = new Eip1559Transaction(current.ChainId, current.Nonce, tip, maxFee, current.GasLimit, current.To, current.Value, current.Data)
            .Sign(_wallet.PrivateKey);
        try
        {
            await _rpc.SendRawTransactionAsync(signed.Raw, cancellationToken).ConfigureAwait(false);
        }
        catch (ChainRpcException exception) when (!exception.IsAlreadyKnown)
        {
            // "nonce too low": one of ours was mined meanwhile; "underpriced": the next deadline bumps from these fees.
            ChainLog.ReplacementRefused(_logger, current.Nonce, exception.RpcMessage);
            return current with { Attempts = [.. current.Attempts.Take(current.Attempts.Count - 1), previous with { SentAt = _time.GetUtcNow() }] };
        }

        var replaced = current with { Attempts = [.. current.Attempts, new SentAttempt(signed.Hash, signed.RawHex, maxFee, tip, _time.GetUtcNow())] };
        ChainLog.TransactionReplaced(_logger, previous.Hash, current.Nonce, signed.Hash, maxFee, tip);
        await ReportAsync(onProgress, TransactionProgressKind.Replaced, replaced, signed.Hash, cancellationToken).ConfigureAwait(false);
        return replaced;
    }

    private BigInteger Bump(BigInteger fee) => ((fee * (100 + _options.FeeBumpPercent)) + 99) / 100;

    private static ValueTask ReportAsync(Func<TransactionProgress, CancellationToken, ValueTask>? onProgress, TransactionProgressKind kind, SentTransaction sent, string hash, CancellationToken cancellationToken) =>
        onProgress?.Invoke(new TransactionProgress(kind, sent, hash), cancellationToken) ?? ValueTask.CompletedTask;
}
