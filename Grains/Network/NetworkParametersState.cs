namespace NexusOrleans.Grains.Network;

/// <summary>
/// What the network parameters grain stores (one JSON row): the parameters in force and every governance decision
/// applied, so a decision is applied once however often it is delivered. A parameter added to
/// <see cref="NetworkParameters"/> later must have an initializer (not <c>required</c>), or rows stored before it would not load.
/// </summary>
public sealed class NetworkParametersState
{
    /// <summary>The parameters in force; null only before the first activation stored the defaults.</summary>
    public NetworkParameters? Parameters { get; set; }

    /// <summary>Ids of the governance decisions applied, with when each was applied. Decisions are rare: this stays small.</summary>
    public Dictionary<string, DateTimeOffset> AppliedDecisions { get; set; } = new(StringComparer.Ordinal);
}
