using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NexusOrleans.CodeGenerator.Parsing;

/// <summary>How symbols are written into generated code and into diagnostic messages.</summary>
internal static class SymbolFormats
{
    /// <summary><c>global::</c>-qualified, keywords escaped, nullable annotations kept: safe in any namespace.</summary>
    public static readonly SymbolDisplayFormat Code = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Short names for messages, as a developer would write them.</summary>
    public static readonly SymbolDisplayFormat Message = SymbolDisplayFormat.MinimallyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// Type names in a method's wire name: namespace-qualified without <c>global::</c>, framework types by their
    /// metadata names (<c>System.String</c>, not <c>string</c>), <c>Nullable&lt;T&gt;</c> spelled out and no nullable
    /// reference annotations, so that annotating a parameter does not change the method's identity on the wire.
    /// </summary>
    public static readonly SymbolDisplayFormat Wire = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.ExpandNullable);

    /// <summary>
    /// The identity of a method across processes: <c>Namespace.IInterface.Method(Type1,Type2)</c>, the interface being
    /// the one that declares the method, so the same method reached through a derived interface has the same name.
    /// </summary>
    public static string WireName(IMethodSymbol method) =>
        method.ContainingType.ToDisplayString(Wire) + "." + method.Name + "("
        + string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString(Wire))) + ")";

    /// <summary>An identifier as it must be written in C#: reserved keywords get an <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary><c>Interface.Member</c> with simple names, as in messages and <c>MethodName</c>.</summary>
    public static string MemberDisplayName(ISymbol member) => member.ContainingType.Name + "." + member.Name;
}
