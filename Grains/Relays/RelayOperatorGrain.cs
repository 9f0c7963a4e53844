// A relay operator: its nodes, their registrations and heartbeats. What it guarantees, under which failures, and why.
//
// Who may register. A node is listed only with two consents and a stake: the operator's wallet signs the registration
// (EIP-191, so the signer is the same address whose stake backs the node and whose rewards it earns), the relay key
// signs the same bytes (so nobody can list a node whose key they do not hold and collect what its service earns), and the
// operator's stake is enough at the time: in the ledger, at least the network's MinimumStake; with a chain configured
// (Relays/Stake), RelayStaking.isRelay(operator) on chain. Every refusal changes nothing and comes back as a status
// with a sentence a person can act on; only malformed input (not an address, not a key, not a ws/wss URL) throws
// ArgumentException, as a caller's bug. A stake source that cannot answer (the chain node is down) is neither a yes
// nor a no: Register throws OperatorStakeUnavailableException, nothing changes, and the caller asks again later
// (relays retry every heartbeat interval, as for an unreachable cluster).
//
// Replay. A signed request is accepted only within Relays:RegistrationSkew of the cluster's clock, and only when its
// issued-at is later than the last request accepted for that node. So a captured registration is worthless after the
// skew, and never undoes a later unregistration even within it. The very same registration sent again (a retry) is
// answered AlreadyRegistered.
//
// Durability. Every change is written before the call returns. The directory is told after the checks and before the
// operator's own write on registration (so a key another operator holds is refused before anything is stored), and
// after the write on unregistration. If the second step fails, the two disagree only in the safe direction: a
// registration the operator did not store sends no heartbeats to the directory and drops out of its live list within
// the outage gap; an unregistration the directory missed stops the node's heartbeats just the same.
//
// Heartbeats. Each one is written: a relay cluster has hundreds of nodes, not millions, and 1,000 nodes beating every
// 10 s are 100 small writes a second, which the storage's group commit absorbs, whereas a heartbeat kept only in memory
// would let a silo restart erase an outage. What is kept is what an hourly reward epoch reads (RelayNodeHistory): the
// heartbeat count of each hour, every gap longer than two heartbeat intervals, and registration events, for the current
// and the previous UTC hour. Times are the cluster's clock, never the relay's word.
//
// Calls. This grain calls the ledger account (the stake, through IOperatorStake), the network parameters and the
// directory; none of them ever calls an operator grain, so no call cycle can deadlock.
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Relays.Stake;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Relays;

/// <summary>One relay operator and its nodes. See the comment at the top of this file for its guarantees.</summary>
[GrainType("relay-operator")]
public sealed partial class RelayOperatorGrain(IOptions<RelaysOptions> options, IOperatorStake stakeSource, ILogger<RelayOperatorGrain> logger)
    : Grain<RelayOperatorState>, IRelayOperatorGrain
{
    private readonly RelaysOptions _options = options.Value;
    private NetworkParametersCache? _parameters;
    private UInt128 _stake;
    private DateTimeOffset? _stakeReadAt;

    private NetworkParametersCache Parameters => _parameters ??= new(GrainFactory, TimeProvider, _options.ParametersRefresh);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!LedgerAccounts.IsValid(Key) || Key == LedgerAccounts.Treasury)
        {
            throw new ArgumentException($"A relay operator grain's key is an operator address, 0x and 40 lowercase hex characters (got '{Key}').", nameof(Key));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<RelayRegistrationResult> Register(RelayRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        RequireOperator(registration.Operator);
        var relayKey = RequireRelayKey(registration.RelayKey, nameof(registration));
        RequireEndpoint(registration.Endpoint);
        var now = TimeProvider.GetUtcNow();
        if (RelaySignatureCheck.Registration(registration, Key, relayKey) is { } signatureFault)
        {
            return Refuse(RelayRegistrationStatus.BadSignature, relayKey, signatureFault);
        }

        if (SkewFault(registration.IssuedAt, now) is { } skewFault)
        {
            return Refuse(RelayRegistrationStatus.OutsideClockSkew, relayKey, skewFault);
        }

        var issuedAt = registration.IssuedAt.ToUnixTimeMilliseconds();
        State.Nodes.TryGetValue(relayKey, out var node);
        if (node is not null && issuedAt <= node.LastIssuedAtMs)
        {
            return issuedAt == node.LastIssuedAtMs && node.Registered && node.Endpoint == registration.Endpoint
                ? new RelayRegistrationResult(RelayRegistrationStatus.AlreadyRegistered, relayKey)
                : Refuse(RelayRegistrationStatus.Superseded, relayKey, SupersededReason(node));
        }

        var parameters = await Parameters.GetAsync();
        var reading = await ReadStakeAsync(now);
        var stake = reading.Staked;
        if (!reading.AllowsRelay(parameters.MinimumStake))
        {
            return Refuse(RelayRegistrationStatus.InsufficientStake, relayKey, InsufficientStakeReason(reading, parameters.MinimumStake));
        }

        var wasRegistered = node is { Registered: true };
        if (!wasRegistered && State.Nodes.Values.Count(other => other.Registered) >= _options.MaxNodesPerOperator)
        {
            return Refuse(RelayRegistrationStatus.TooManyNodes, relayKey, string.Create(
                CultureInfo.InvariantCulture,
                $"Operator {Eip55.ToChecksumAddress(Key)} already has {_options.MaxNodesPerOperator} registered relays, the most one operator may have (Relays:MaxNodesPerOperator); unregister one first."));
        }

        var registeredAt = wasRegistered ? node!.RegisteredAt : now;
        var holder = await GrainFactory.GetRelayDirectory().Claim(new RelayDirectoryEntry(relayKey, Key, registration.Endpoint, stake, registeredAt));
        if (holder != Key)
        {
            return Refuse(RelayRegistrationStatus.RelayKeyTaken, relayKey,
                $"Relay key {relayKey} is registered by operator {Eip55.ToChecksumAddress(holder)}; that operator must unregister it first.");
        }

        node ??= State.Nodes[relayKey] = new RelayNodeState();
        if (wasRegistered)
        {
            // A relay that restarted registers again: the time it was down is a gap like any other.
            RelayNodeHistory.Heartbeat(node, now, parameters.HeartbeatInterval);
        }
        else
        {
            RelayNodeHistory.Registered(node, now);
        }

        node.Registered = true;
        node.Endpoint = registration.Endpoint;
        node.LastIssuedAtMs = issuedAt;
        ForgetRetiredNodes(now);
        await PersistAsync();
        LogRegistered(logger, relayKey, registration.Endpoint, wasRegistered);
        return new RelayRegistrationResult(wasRegistered ? RelayRegistrationStatus.AlreadyRegistered : RelayRegistrationStatus.Registered, relayKey);
    }

    /// <inheritdoc />
    public async Task<RelayRegistrationResult> Unregister(RelayUnregistration unregistration)
    {
        ArgumentNullException.ThrowIfNull(unregistration);
        RequireOperator(unregistration.Operator);
        var relayKey = RequireRelayKey(unregistration.RelayKey, nameof(unregistration));
        var now = TimeProvider.GetUtcNow();
        if (RelaySignatureCheck.Unregistration(unregistration, Key, relayKey) is { } signatureFault)
        {
            return Refuse(RelayRegistrationStatus.BadSignature, relayKey, signatureFault);
        }

        if (SkewFault(unregistration.IssuedAt, now) is { } skewFault)
        {
            return Refuse(RelayRegistrationStatus.OutsideClockSkew, relayKey, skewFault);
        }

        if (!State.Nodes.TryGetValue(relayKey, out var node))
        {
            return Refuse(RelayRegistrationStatus.NotRegistered, relayKey, $"Operator {Eip55.ToChecksumAddress(Key)} has no relay {relayKey}.");
        }

        if (!node.Registered)
        {
            return new RelayRegistrationResult(RelayRegistrationStatus.AlreadyUnregistered, relayKey);
        }

        var issuedAt = unregistration.IssuedAt.ToUnixTimeMilliseconds();
        if (issuedAt <= node.LastIssuedAtMs)
        {
            return Refuse(RelayRegistrationStatus.Superseded, relayKey, SupersededReason(node));
        }

        node.Registered = false;
        node.LastIssuedAtMs = issuedAt;
        RelayNodeHistory.Unregistered(node, now);
        await PersistAsync();
        await GrainFactory.GetRelayDirectory().Release(relayKey, Key);
        LogUnregistered(logger, relayKey);
        return new RelayRegistrationResult(RelayRegistrationStatus.Unregistered, relayKey);
    }

    /// <inheritdoc />
    public async Task<HeartbeatResult> Heartbeat(string relayKey)
    {
        relayKey = RequireRelayKey(relayKey, nameof(relayKey));
        var parameters = await Parameters.GetAsync();
        if (!State.Nodes.TryGetValue(relayKey, out var node) || !node.Registered)
        {
            return new HeartbeatResult(HeartbeatStatus.NotRegistered, parameters.HeartbeatInterval);
        }

        var now = TimeProvider.GetUtcNow();
        RelayNodeHistory.Heartbeat(node, now, parameters.HeartbeatInterval);
        await PersistAsync();
        var stake = await RefreshStakeAsync(now);
        try
        {
            await GrainFactory.GetRelayDirectory().Heartbeat(new RelayDirectoryEntry(relayKey, Key, node.Endpoint, stake, node.RegisteredAt));
        }
        catch (Exception exception)
        {
            // The heartbeat is recorded here, where rewards are judged; the directory hears of the node again next time.
            LogDirectoryUnreachable(logger, exception.GetType().Name, exception.Message);
        }

        return new HeartbeatResult(HeartbeatStatus.Recorded, parameters.HeartbeatInterval);
    }

    /// <inheritdoc />
    public async Task<RelayOperatorSnapshot> GetOperator()
    {
        var parameters = await Parameters.GetAsync();
        var now = TimeProvider.GetUtcNow();
        UInt128 stake;
        try
        {
            stake = (await ReadStakeAsync(now)).Staked;
        }
        catch (OperatorStakeUnavailableException exception)
        {
            LogStakeUnreadable(logger, exception.GetType().Name, exception.Message);
            stake = _stake;
        }

        var nodes = State.Nodes
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => RelayNodeHistory.Snapshot(pair.Key, pair.Value, now, parameters.OutageGap))
            .ToArray();
        return new RelayOperatorSnapshot(Key, stake, nodes, now);
    }

    private async Task<OperatorStakeReading> ReadStakeAsync(DateTimeOffset now)
    {
        var reading = await stakeSource.ReadAsync(GrainFactory, Key);
        _stake = reading.Staked;
        _stakeReadAt = now;
        return reading;
    }

    private string InsufficientStakeReason(OperatorStakeReading reading, UInt128 networkMinimum)
    {
        var minimum = reading.Minimum(networkMinimum);
        var missing = minimum > reading.Staked ? minimum - reading.Staked : UInt128.Zero;
        return reading.Source == OperatorStakeSource.Chain
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"Operator {Eip55.ToChecksumAddress(Key)} has {Tokens.Format(reading.Staked)} iChat of active stake on chain ({reading.Where}); a relay needs at least {Tokens.Format(minimum)} iChat there (its minimumStake). Stake {Tokens.Format(missing)} iChat more on chain (ichat chain stake) and register again.")
            : string.Create(
                CultureInfo.InvariantCulture,
                $"Operator {Eip55.ToChecksumAddress(Key)} has {Tokens.Format(reading.Staked)} iChat staked; a relay needs at least {Tokens.Format(minimum)} iChat staked. Stake {Tokens.Format(missing)} iChat more and register again.");
    }

    // On heartbeats the stake is re-read now and then, so an operator who unstakes leaves the live list; if the ledger
    // or the chain cannot be reached the last known stake stands until it can.
    private async Task<UInt128> RefreshStakeAsync(DateTimeOffset now)
    {
        if (_stakeReadAt is { } readAt && now - readAt < _options.StakeRefresh && now >= readAt)
        {
            return _stake;
        }

        try
        {
            return (await ReadStakeAsync(now)).Staked;
        }
        catch (Exception exception)
        {
            LogStakeUnreadable(logger, exception.GetType().Name, exception.Message);
            return _stake;
        }
    }

    private string? SkewFault(DateTimeOffset issuedAt, DateTimeOffset now)
    {
        var skew = _options.RegistrationSkew;
        if (issuedAt >= now - skew && issuedAt <= now + skew)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"The request was issued at {issuedAt.UtcDateTime:O}, but the cluster's time is {now.UtcDateTime:O}; it must be within {skew} of it (Relays:RegistrationSkew). Sign a fresh one, and check the clock if this repeats.");
    }

    private static string SupersededReason(RelayNodeState node) => string.Create(
        CultureInfo.InvariantCulture,
        $"A later request for this relay (issued at {DateTimeOffset.FromUnixTimeMilliseconds(node.LastIssuedAtMs).UtcDateTime:O}) was accepted already; sign a fresh one.");

    private RelayRegistrationResult Refuse(RelayRegistrationStatus status, string relayKey, string reason)
    {
        LogRefused(logger, relayKey, status, reason);
        return new RelayRegistrationResult(status, relayKey, reason);
    }

    private void RequireOperator(string? address)
    {
        string normalized;
        try
        {
            normalized = LedgerAccounts.Normalize(address!);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"The operator must be an EVM address, 0x and 40 hex characters (got '{address}').", nameof(address));
        }

        if (normalized != Key)
        {
            throw new ArgumentException($"This is the operator grain of {Key}; the request names operator {normalized}.", nameof(address));
        }
    }

    private static string RequireRelayKey(string? relayKey, string parameterName)
        => PublicKey.TryParse(relayKey, out var key)
            ? key.ToString()
            : throw new ArgumentException(
                $"A relay key is 64 hex characters, the relay's Ed25519 public key (got {(relayKey is null ? "null" : $"{relayKey.Length} characters")}).",
                parameterName);

    private static void RequireEndpoint(string? endpoint)
    {
        if (string.IsNullOrEmpty(endpoint)
            || System.Text.Encoding.UTF8.GetByteCount(endpoint) > RelayRegistrationMessage.MaxEndpointBytes
            || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("ws" or "wss")
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException(
                $"A relay endpoint is a ws:// or wss:// URL of at most {RelayRegistrationMessage.MaxEndpointBytes} bytes, such as wss://relay.example.org/v1/ws (got '{endpoint}').",
                nameof(endpoint));
        }
    }

    private void ForgetRetiredNodes(DateTimeOffset now)
    {
        foreach (var (key, node) in State.Nodes)
        {
            if (RelayNodeHistory.IsForgettable(node, now))
            {
                State.Nodes.Remove(key);
            }
        }
    }

    private async Task PersistAsync()
    {
        try
        {
            await WriteStateAsync();
        }
        catch (Exception exception)
        {
            // The memory copy may now be ahead of storage: start the next call from what is stored.
            LogWriteFailed(logger, exception.GetType().Name);
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Relay {RelayKey} registered at {Endpoint} (renewal: {Renewal})")]
    private static partial void LogRegistered(ILogger logger, string relayKey, string endpoint, bool renewal);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Relay {RelayKey} unregistered")]
    private static partial void LogUnregistered(ILogger logger, string relayKey);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Relay {RelayKey}: request refused ({Status}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string relayKey, RelayRegistrationStatus status, string reason);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "Relay directory could not be told of a heartbeat ({ExceptionType}: {Reason}); it hears of the node again at the next one")]
    private static partial void LogDirectoryUnreachable(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Warning, Message = "Operator stake could not be read ({ExceptionType}: {Reason}); the last known stake stands")]
    private static partial void LogStakeUnreadable(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(EventId = 3306, Level = LogLevel.Warning, Message = "Relay operator failed to persist a change ({ExceptionType}); the activation is dropped and the next call reloads the stored state")]
    private static partial void LogWriteFailed(ILogger logger, string exceptionType);
}
