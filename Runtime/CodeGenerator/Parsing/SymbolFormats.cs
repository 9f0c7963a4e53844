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

    /// <summary>An identifier as it must be written in C#: reserved keywords get an <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary><c>Interface.Member</c> with simple names, as in messages and <c>MethodName</c>.</summary>
    public static string MemberDisplayName(ISymbol member) => member.ContainingType.Name + "." + member.Name;
}
