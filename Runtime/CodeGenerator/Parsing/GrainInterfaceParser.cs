using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NexusOrleans.CodeGenerator.Diagnostics;
using NexusOrleans.CodeGenerator.Model;

namespace NexusOrleans.CodeGenerator.Parsing;

/// <summary>
/// The semantic half of the pipeline: from an interface declaration to an <see cref="InterfaceResult"/> made of
/// strings and value-equal arrays, so unchanged interfaces compare equal across edits and their source is reused.
/// </summary>
internal static class GrainInterfaceParser
{
    /// <summary>Cheap syntactic filter: a grain interface names at least one base interface.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InterfaceDeclarationSyntax { BaseList: not null };

    public static InterfaceResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (InterfaceDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol symbol
            || !IsFirstDeclarationWithBaseList(symbol, declaration, cancellationToken)
            || KnownTypes.IsMarker(symbol)
            || !symbol.AllInterfaces.Any(KnownTypes.IsAddressable))
        {
            return null;
        }

        var interfaceLocation = declaration.Identifier.GetLocation();
        var diagnostics = new List<DiagnosticInfo>();
        if (symbol.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(GrainDiagnostics.GenericInterface, interfaceLocation, symbol.ToDisplayString(SymbolFormats.Message)));
        }

        if (!IsAccessibleToGeneratedCode(symbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(GrainDiagnostics.InaccessibleInterface, interfaceLocation, symbol.ToDisplayString(SymbolFormats.Message)));
        }

        var members = new MemberParser(symbol, interfaceLocation);
        var methods = new List<MethodModel>();
        foreach (var implemented in ImplementedInterfaces(symbol))
        {
            foreach (var member in implemented.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (members.Parse(member) is { } method)
                {
                    methods.Add(method);
                }
            }
        }

        diagnostics.AddRange(members.Diagnostics);
        var proxy = diagnostics.Count == 0
            ? new ProxyModel(symbol.ToDisplayString(SymbolFormats.Code), ProxyNaming.ProxyName(symbol), new EquatableArray<MethodModel>(methods.ToArray()))
            : null;
        return new InterfaceResult(proxy, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
    }

    /// <summary>The interface itself, then every base interface once (in Roslyn's stable order), minus the markers.</summary>
    private static IEnumerable<INamedTypeSymbol> ImplementedInterfaces(INamedTypeSymbol symbol) =>
        new[] { symbol }.Concat(symbol.AllInterfaces.Where(i => !KnownTypes.IsMarker(i)));

    /// <summary>
    /// A partial interface has several declarations; exactly one of them (the first that names a base interface,
    /// which the syntactic filter also let through) produces the result.
    /// </summary>
    private static bool IsFirstDeclarationWithBaseList(INamedTypeSymbol symbol, InterfaceDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is InterfaceDeclarationSyntax { BaseList: not null } first)
            {
                return first.SyntaxTree == declaration.SyntaxTree && first.Span == declaration.Span;
            }
        }

        return false;
    }

    /// <summary>Generated proxies live in another namespace of the same assembly, so every enclosing type must admit them.</summary>
    private static bool IsAccessibleToGeneratedCode(INamedTypeSymbol symbol)
    {
        for (var type = symbol; type is not null; type = type.ContainingType)
        {
            if (type.IsFileLocal
                || type.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
