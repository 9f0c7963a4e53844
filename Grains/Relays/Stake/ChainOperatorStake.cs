// The on-chain relay check: an operator may run listed relays when RelayStaking.isRelay(operator) says so.
//
// What it guarantees. Each answer is the contract's own at the node's latest block: isRelay (active stake at least
// minimumStake, pending stake excluded), the active stake and the minimum, read together. An answer is reused for
// Chain:StakeCheck:CacheFor (30 s) per operator, on the injected clock, so a fleet of relays under one operator costs the
// node three eth_calls per period, and a stake change on chain is seen within that period (plus Relays:StakeRefresh for
// relays already listed, which re-read on heartbeats).
//
// Failures. When the node cannot be reached, answers an error, or the address holds no contract, the read throws
// OperatorStakeUnavailableException naming the node and the contract, never a stale answer past its period: a
// registration must not be accepted (or refused) on a stake nobody can see. The registration changes nothing and is
// retryable; relays retry every heartbeat interval. Heartbeats of relays already listed keep the last known stake
// (RelayOperatorGrain does that for every source), so a chain outage does not empty the relay list.
//
// Concurrency. A singleton shared by every operator grain of the silo. The cache is a ConcurrentDictionary of immutable
// entries; two grains reading the same operator at once may both ask the node, which is harmless (an operator's reads
// come from its one grain, which runs one turn at a time).
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Relays.Stake;

/// <summary>Reads an operator's stake from RelayStaking on chain, cached briefly. See the comment at the top of this file.</summary>
public sealed partial class ChainOperatorStake : IOperatorStake
{
    private readonly RelayStakingContract _staking;
    private readonly TimeSpan _cacheFor;
    private readonly TimeProvider _time;
    private readonly ILogger<ChainOperatorStake> _logger;
    private readonly ConcurrentDictionary<string, (OperatorStakeReading Reading, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    public ChainOperatorStake(EthRpcClient rpc, IOptions<ChainStakeCheckOptions> options, TimeProvider time, ILogger<ChainOperatorStake> logger)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _staking = new RelayStakingContract(rpc, value.Staking ?? throw new ArgumentException($"{ChainStakeCheckOptions.StakingKey} is not set.", nameof(options)));
        _cacheFor = value.CacheFor;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Endpoint = rpc.Endpoint;
    }

    /// <summary>The node asked.</summary>
    public Uri Endpoint { get; }

    /// <inheritdoc />
    public async Task<OperatorStakeReading> ReadAsync(IGrainFactory grains, string operatorAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(operatorAddress);
        var key = operatorAddress.ToLowerInvariant();
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && now >= cached.ReadAt && now - cached.ReadAt < _cacheFor)
        {
            return cached.Reading;
        }

        OperatorStakeReading reading;
        try
        {
            var isRelay = _staking.IsRelayAsync(key, cancellationToken);
            var stake = _staking.StakeOfAsync(key, cancellationToken);
            var minimum = _staking.MinimumStakeAsync(cancellationToken);
            await Task.WhenAll(isRelay, stake, minimum).ConfigureAwait(false);
            reading = new OperatorStakeReading(stake.Result.Active, OperatorStakeSource.Chain, isRelay.Result, minimum.Result, $"RelayStaking {_staking.Address}");
        }
        catch (Exception exception) when (exception is ChainNodeUnreachableException or ChainRpcException or ContractRevertedException or FormatException or ArgumentException or InvalidOperationException)
        {
            LogUnavailable(_logger, Endpoint, _staking.Address, exception.GetType().Name, exception.Message);
            throw new OperatorStakeUnavailableException(
                $"The stake of operator {Eip55.ToChecksumAddress(key)} could not be read from RelayStaking {_staking.Address} on the chain node at {Endpoint} ({Reason(exception)}); nothing was registered. Ask again once the node answers (relays retry every heartbeat interval).",
                exception);
        }

        _cache[key] = (reading, now);
        LogRead(_logger, key, reading.ChainIsRelay);
        return reading;
    }

    private static string Reason(Exception exception) => exception switch
    {
        ChainNodeUnreachableException => "the node cannot be reached",
        FormatException or ArgumentException or InvalidOperationException => "no RelayStaking contract answers at that address",
        _ => exception.Message,
    };

    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug, Message = "Operator {Operator} read on chain: isRelay {IsRelay}")]
    private static partial void LogRead(ILogger logger, string @operator, bool isRelay);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Operator stake could not be read on chain at {Endpoint} from RelayStaking {Staking} ({ExceptionType}: {Reason})")]
    private static partial void LogUnavailable(ILogger logger, Uri endpoint, string staking, string exceptionType, string reason);
}
