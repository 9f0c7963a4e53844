using Microsoft.CodeAnalysis;

namespace NexusOrleans.CodeGenerator.Diagnostics;

/// <summary>
/// Why an interface cannot be proxied. Every one is an error: a grain interface without a proxy would fail only at
/// run time, on the first call. Each message says what is wrong and what is allowed.
/// </summary>
internal static class GrainDiagnostics
{
    private const string Category = "NexusOrleans";

    public static readonly DiagnosticDescriptor InvalidReturnType = Error(
        "NXO001",
        "Grain method has an invalid return type",
        "Grain interface method '{0}' returns '{1}'; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>");

    public static readonly DiagnosticDescriptor GenericMethod = Error(
        "NXO002",
        "Grain method is generic",
        "Grain interface method '{0}' declares type parameters; grain methods must not be generic");

    public static readonly DiagnosticDescriptor GenericInterface = Error(
        "NXO003",
        "Grain interface is generic",
        "Grain interface '{0}' is generic or nested in a generic type; grain interfaces must not have type parameters");

    public static readonly DiagnosticDescriptor ByRefParameter = Error(
        "NXO004",
        "Grain method parameter is passed by reference",
        "Parameter '{1}' of grain interface method '{0}' is declared '{2}'; grain method parameters must be passed by value (no ref, out, in or ref readonly)");

    public static readonly DiagnosticDescriptor NonMethodMember = Error(
        "NXO005",
        "Grain interface declares a property, indexer or event",
        "Grain interface member '{0}' is {1}; grain interfaces may declare only methods (properties, indexers and events are allowed only when static or with a default implementation)");

    public static readonly DiagnosticDescriptor StaticAbstractMember = Error(
        "NXO006",
        "Grain interface declares a static abstract member",
        "Grain interface member '{0}' is static abstract; a proxy cannot implement it, so static members of grain interfaces must have an implementation");

    public static readonly DiagnosticDescriptor UnstorableParameter = Error(
        "NXO007",
        "Grain method parameter cannot be stored",
        "Parameter '{1}' of grain interface method '{0}' has type '{2}', which cannot be stored in a field; grain method parameters must not be ref structs or pointers");

    public static readonly DiagnosticDescriptor InaccessibleInterface = Error(
        "NXO008",
        "Grain interface is not accessible to generated code",
        "Grain interface '{0}' is not accessible from the rest of its assembly; grain interfaces and the types containing them must be public, internal or protected internal, and not file-local");

    public static readonly DiagnosticDescriptor InaccessibleMethod = Error(
        "NXO009",
        "Grain method is not accessible to generated code",
        "Grain interface method '{0}' is {1}; grain methods must be public, internal or protected internal so generated requests can call them");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
