// The relay directory: which nodes are registered, and which of them are live. What it guarantees, and why this way.
//
// Registered nodes are stored: an entry is written before Claim or Release returns, so a registration the operator grain
// went on to store is never missing after a restart. A relay key belongs to the first operator that claims it until that
// operator releases it; another operator's claim answers the holder and changes nothing.
//
// Liveness is kept in memory only: when each node was last heard of, on this grain's clock. Heartbeats arrive every few
// seconds from every node, and writing the whole list on each would turn the cheapest call of the cluster into its
// busiest row; the operator grains already store each heartbeat where rewards are judged. The price: after this grain
// activates (a silo restart), a node counts as live only from its next heartbeat, at most one heartbeat interval later.
// A heartbeat carries the whole entry, so a node the directory lost (a failed write, say) comes back with it.
//
// List answers the nodes heard of within the network's OutageGap and backed by at least MinimumStake, so a node that
// stopped, and an operator who unstaked, drop out of phones' lists on their own, without anyone having to unregister.
// This grain calls only the network parameters grain, which calls nobody: no call cycle.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Relays;

/// <summary>The list of registered relay nodes. See the comment at the top of this file for its guarantees.</summary>
[GrainType("relay-directory")]
public sealed partial class RelayDirectoryGrain(IOptions<RelaysOptions> options, ILogger<RelayDirectoryGrain> logger)
    : Grain<RelayDirectoryState>, IRelayDirectoryGrain
{
    private readonly Dictionary<string, DateTimeOffset> _lastHeard = new(StringComparer.Ordinal);
    private NetworkParametersCache? _parameters;

    private NetworkParametersCache Parameters => _parameters ??= new(GrainFactory, TimeProvider, options.Value.ParametersRefresh);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Key != RelayGrains.DirectoryKey)
        {
            throw new ArgumentException($"The relay directory has the one key '{RelayGrains.DirectoryKey}', not '{Key}'.", nameof(Key));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<string> Claim(RelayDirectoryEntry entry)
    {
        entry = Require(entry);
        if (State.Entries.TryGetValue(entry.RelayKey, out var held) && held.Operator != entry.Operator)
        {
            return held.Operator;
        }

        State.Entries[entry.RelayKey] = entry;
        await PersistAsync();
        _lastHeard[entry.RelayKey] = TimeProvider.GetUtcNow();
        LogClaimed(logger, entry.RelayKey, State.Entries.Count);
        return entry.Operator;
    }

    /// <inheritdoc />
    public async Task Release(string relayKey, string operatorAddress)
    {
        ArgumentNullException.ThrowIfNull(relayKey);
        ArgumentNullException.ThrowIfNull(operatorAddress);
        if (State.Entries.TryGetValue(relayKey, out var held) && held.Operator == operatorAddress)
        {
            State.Entries.Remove(relayKey);
            _lastHeard.Remove(relayKey);
            await PersistAsync();
            LogReleased(logger, relayKey, State.Entries.Count);
        }
    }

    /// <inheritdoc />
    public async Task<bool> Heartbeat(RelayDirectoryEntry entry)
    {
        entry = Require(entry);
        if (State.Entries.TryGetValue(entry.RelayKey, out var held))
        {
            if (held.Operator != entry.Operator)
            {
                return false;
            }

            if (held != entry)
            {
                State.Entries[entry.RelayKey] = entry;
                await PersistAsync();
            }
        }
        else
        {
            State.Entries[entry.RelayKey] = entry;
            await PersistAsync();
            LogClaimed(logger, entry.RelayKey, State.Entries.Count);
        }

        _lastHeard[entry.RelayKey] = TimeProvider.GetUtcNow();
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> Operators()
    {
        IReadOnlyList<string> operators = [.. State.Entries.Values.Select(entry => entry.Operator).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return Task.FromResult(operators);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RelayDirectoryEntry>> List()
    {
        var parameters = await Parameters.GetAsync();
        var now = TimeProvider.GetUtcNow();
        var live = new List<RelayDirectoryEntry>();
        foreach (var (key, entry) in State.Entries)
        {
            if (_lastHeard.TryGetValue(key, out var heard) && now - heard <= parameters.OutageGap && entry.Stake >= parameters.MinimumStake)
            {
                live.Add(entry with { LastHeartbeat = heard });
            }
        }

        live.Sort((a, b) => string.CompareOrdinal(a.RelayKey, b.RelayKey));
        return live;
    }

    private static RelayDirectoryEntry Require(RelayDirectoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!PublicKey.TryParse(entry.RelayKey, out var key) || !LedgerAccounts.IsValid(entry.Operator) || entry.Operator == LedgerAccounts.Treasury
            || !Uri.TryCreate(entry.Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException("A directory entry needs a relay key (64 hex), an operator address (0x and 40 lowercase hex) and a ws/wss endpoint.", nameof(entry));
        }

        // Heartbeat times live in memory only.
        return entry with { RelayKey = key.ToString(), LastHeartbeat = null };
    }

    private async Task PersistAsync()
    {
        try
        {
            await WriteStateAsync();
        }
        catch (Exception exception)
        {
            LogWriteFailed(logger, exception.GetType().Name);
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Debug, Message = "Relay directory lists {RelayKey}; {Count} registered")]
    private static partial void LogClaimed(ILogger logger, string relayKey, int count);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Debug, Message = "Relay directory dropped {RelayKey}; {Count} registered")]
    private static partial void LogReleased(ILogger logger, string relayKey, int count);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "Relay directory failed to persist a change ({ExceptionType}); the activation is dropped and the next call reloads the stored state")]
    private static partial void LogWriteFailed(ILogger logger, string exceptionType);
}
