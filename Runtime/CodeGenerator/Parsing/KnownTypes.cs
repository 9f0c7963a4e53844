using Microsoft.CodeAnalysis;
using NexusOrleans.CodeGenerator.Model;

namespace NexusOrleans.CodeGenerator.Parsing;

/// <summary>
/// Recognises the runtime's and the framework's types by name. Comparing names rather than symbols from
/// <c>Compilation.GetTypeByMetadataName</c> keeps working when a type is defined twice and costs no lookups.
/// </summary>
internal static class KnownTypes
{
    public static bool IsAddressable(INamedTypeSymbol type) => IsRuntimeInterface(type, "IAddressable");

    /// <summary>The marker interfaces, which declare no methods and get no proxy of their own.</summary>
    public static bool IsMarker(INamedTypeSymbol type) =>
        IsRuntimeInterface(type, "IAddressable") || IsRuntimeInterface(type, "IGrain") || IsRuntimeInterface(type, "IGrainObserver");

    public static bool IsReadOnlyAttribute(INamedTypeSymbol? type) =>
        type is { Name: "ReadOnlyAttribute", ContainingType: null }
        && IsNamespace(type.ContainingNamespace, "NexusOrleans", "Runtime", "Concurrency");

    public static bool IsCodeAnalysisAttribute(INamedTypeSymbol? type, string name) =>
        type is { ContainingType: null } && type.Name == name
        && IsNamespace(type.ContainingNamespace, "System", "Diagnostics", "CodeAnalysis");

    /// <summary>Classifies a return type; null when it is none of Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;.</summary>
    public static ReturnKind? GetReturnKind(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { ContainingType: null } named
            || !IsNamespace(named.ContainingNamespace, "System", "Threading", "Tasks"))
        {
            return null;
        }

        return (named.Name, named.Arity) switch
        {
            ("Task", 0) => ReturnKind.Task,
            ("Task", 1) => ReturnKind.TaskOfT,
            ("ValueTask", 0) => ReturnKind.ValueTask,
            ("ValueTask", 1) => ReturnKind.ValueTaskOfT,
            _ => null,
        };
    }

    private static bool IsRuntimeInterface(INamedTypeSymbol type, string name) =>
        type is { TypeKind: TypeKind.Interface, Arity: 0, ContainingType: null }
        && type.Name == name
        && IsNamespace(type.ContainingNamespace, "NexusOrleans", "Runtime");

    private static bool IsNamespace(INamespaceSymbol? ns, params string[] parts)
    {
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            if (ns is null || ns.IsGlobalNamespace || ns.Name != parts[i])
            {
                return false;
            }

            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: true };
    }
}
