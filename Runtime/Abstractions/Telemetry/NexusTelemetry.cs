using System.Diagnostics;

namespace NexusOrleans.Runtime.Telemetry;

/// <summary>
/// The names every project publishes its telemetry under: one meter and one activity source for the whole product, so
/// an operator enables one name in a collector and gets everything. Instruments are named <c>nexus.subsystem.thing</c>
/// and carry only tags from bounded sets (error code, grain type, storage operation, relay key); never a user's key.
/// </summary>
public static class NexusTelemetry
{
    /// <summary>The one meter's name, created through <c>IMeterFactory</c> by each subsystem's metrics class.</summary>
    public const string MeterName = "NexusOrleans";

    /// <summary>The one activity source's name: a message's path (gateway receive → inbox deposit → delivery push).</summary>
    public const string ActivitySourceName = "NexusOrleans";

    /// <summary>The activity source of the product's spans.</summary>
    public static readonly ActivitySource Source = new(ActivitySourceName);
}
