using NexusOrleans.CodeGenerator.Diagnostics;

namespace NexusOrleans.CodeGenerator.Model;

/// <summary>What the parser found for one grain interface: a proxy to emit, or the reasons it cannot be proxied.</summary>
/// <param name="Proxy">Null when <paramref name="Diagnostics"/> holds at least one error.</param>
internal sealed record InterfaceResult(ProxyModel? Proxy, EquatableArray<DiagnosticInfo> Diagnostics);
