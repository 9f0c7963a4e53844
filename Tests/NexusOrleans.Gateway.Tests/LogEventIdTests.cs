using System.Reflection;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Gateway.Tests;

/// <summary>
/// Operators filter and alert on log event ids, so each id names one kind of event across the relay's code. One id may
/// stand in several places only for the same event, logged by methods of the same name (as the storage providers
/// share theirs through StorageEventIds).
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EventIds_AcrossTheRuntimeGrainsAndGateway_EachNameOneKindOfEvent()
    {
        Assembly[] assemblies =
        [
            typeof(Runtime.Hosting.ISiloStatus).Assembly,
            typeof(Grains.GrainsAssembly).Assembly,
            typeof(Hosting.GatewayOptions).Assembly,
        ];
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

        var events = assemblies
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(all))
            .Select(method => (Name: method.Name, Method: $"{method.DeclaringType!.FullName}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(entry => entry.Attribute is not null)
            .ToArray();
        var clashes = events
            .GroupBy(entry => entry.Attribute!.EventId)
            .Where(group => group.Select(entry => entry.Name).Distinct().Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(entry => entry.Method))}")
            .ToArray();

        Assert.True(events.Length > 50, $"found only {events.Length} log events; the scan is not seeing the code");
        Assert.True(clashes.Length == 0, "event ids used twice: " + string.Join("; ", clashes));
    }
}
