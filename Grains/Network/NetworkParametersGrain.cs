// The network parameters: one set for the whole cluster, read by all, changed by governance only.
//
// Promise. Get always answers the set in force; it is durable before anyone can read it, because the first activation
// writes the configured defaults before its first call runs, and a change is written before it returns. A governance
// decision is applied at most once: its id is stored in the same write as the change, so a retried or replayed decision
// answers AlreadyApplied and changes nothing, also after a restart. A change is checked whole (every parameter's rule,
// and MaxUnreadAge never above what is in force, since phones were promised at most that) and refused whole with an
// ArgumentException naming every rule broken.
//
// Failures. When a write fails, the activation drops itself so the next call starts from what is stored: the memory copy
// may be ahead of storage, and answering from it would show a change that a crash could still lose.
//
// Readers. Every reader calls Get (ReadOnly, so reads interleave); grains that need the parameters on a hot path cache
// them briefly (Relays:ParametersRefresh), which is why a change takes effect within that delay, not at once.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Network;

/// <summary>The network's parameters. See the comment at the top of this file for its guarantees.</summary>
[GrainType("network")]
public sealed partial class NetworkParametersGrain(IOptions<NetworkOptions> options, ILogger<NetworkParametersGrain> logger)
    : Grain<NetworkParametersState>, INetworkParametersGrain
{
    /// <summary>Longest decision id accepted (it is stored and logged).</summary>
    public const int MaxDecisionIdLength = 200;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Key != NetworkGrains.ParametersKey)
        {
            throw new ArgumentException(
                $"The network parameters grain has the one key '{NetworkGrains.ParametersKey}', not '{Key}'.", nameof(Key));
        }

        if (State.Parameters is null)
        {
            // A failed write fails the activation; the next call tries again from scratch.
            State.Parameters = options.Value.ToParameters();
            await WriteStateAsync();
            LogDefaultsStored(logger);
        }
    }

    /// <inheritdoc />
    public Task<NetworkParameters> Get() => Task.FromResult(State.Parameters!);

    /// <inheritdoc />
    public async Task<NetworkParameterChange> Change(NetworkParameters proposed, string decisionId)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        RequireDecisionId(decisionId);
        var current = State.Parameters!;
        if (State.AppliedDecisions.ContainsKey(decisionId))
        {
            return new NetworkParameterChange(NetworkParameterChangeStatus.AlreadyApplied, decisionId, current);
        }

        var failures = proposed.Validate().ToList();
        if (proposed.MaxUnreadAge > current.MaxUnreadAge)
        {
            failures.Add($"MaxUnreadAge may only be lowered: {current.MaxUnreadAge} is in force, {proposed.MaxUnreadAge} was proposed.");
        }

        if (failures.Count > 0)
        {
            throw new ArgumentException(
                $"Decision '{decisionId}' proposes invalid network parameters; nothing changed. {string.Join(" ", failures)}",
                nameof(proposed));
        }

        State.Parameters = proposed;
        State.AppliedDecisions[decisionId] = TimeProvider.GetUtcNow();
        await PersistAsync();
        LogChanged(logger, decisionId);
        return new NetworkParameterChange(NetworkParameterChangeStatus.Applied, decisionId, proposed);
    }

    private static void RequireDecisionId(string decisionId)
    {
        if (string.IsNullOrWhiteSpace(decisionId) || decisionId.Length > MaxDecisionIdLength || decisionId.Any(char.IsControl))
        {
            throw new ArgumentException(
                $"A decision id must be 1 to {MaxDecisionIdLength} characters without control characters (got {(decisionId is null ? "null" : $"{decisionId.Length} characters")}).",
                nameof(decisionId));
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
            LogWriteFailed(logger, exception.GetType().Name);
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Network parameters stored from the Network settings (first activation)")]
    private static partial void LogDefaultsStored(ILogger logger);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Network parameters changed by decision {DecisionId}")]
    private static partial void LogChanged(ILogger logger, string decisionId);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Warning, Message = "Network parameters failed to persist ({ExceptionType}); the activation is dropped and the next call reloads the stored state")]
    private static partial void LogWriteFailed(ILogger logger, string exceptionType);
}
