using System.Linq;
using Microsoft.CodeAnalysis;
using NexusOrleans.CodeGenerator.Model;

namespace NexusOrleans.CodeGenerator.Diagnostics;

/// <summary>
/// A diagnostic waiting to be reported, in a form that compares by value: a <see cref="Diagnostic"/> or a
/// <see cref="Location"/> would hold on to syntax trees and defeat the generator's caching.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs) =>
        new(descriptor, LocationInfo.From(location), new EquatableArray<string>(messageArgs));

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, MessageArgs.Cast<object>().ToArray());
}
