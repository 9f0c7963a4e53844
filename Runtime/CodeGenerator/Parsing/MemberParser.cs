using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NexusOrleans.CodeGenerator.Diagnostics;
using NexusOrleans.CodeGenerator.Model;

namespace NexusOrleans.CodeGenerator.Parsing;

/// <summary>
/// Turns the members of one grain interface (its own and its bases') into method models, or into diagnostics
/// when a member cannot be carried by a request. Static members and members with a default implementation
/// are left alone: the proxy inherits them from the interface.
/// </summary>
internal sealed class MemberParser(INamedTypeSymbol grainInterface, Location interfaceLocation)
{
    private readonly HashSet<string> _requestNames = new(StringComparer.Ordinal);
    private readonly List<DiagnosticInfo> _diagnostics = [];

    public IReadOnlyList<DiagnosticInfo> Diagnostics => _diagnostics;

    public MethodModel? Parse(ISymbol member)
    {
        switch (member)
        {
            case INamedTypeSymbol:
                return null;
            case { IsStatic: true, IsAbstract: true }:
                Report(GrainDiagnostics.StaticAbstractMember, member, SymbolFormats.MemberDisplayName(member));
                return null;
            case { IsStatic: true } or { IsAbstract: false }:
                return null;
            case IPropertySymbol property:
                Report(GrainDiagnostics.NonMethodMember, member, SymbolFormats.MemberDisplayName(member), property.IsIndexer ? "an indexer" : "a property");
                return null;
            case IEventSymbol:
                Report(GrainDiagnostics.NonMethodMember, member, SymbolFormats.MemberDisplayName(member), "an event");
                return null;
            case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                return ParseMethod(method);
            default:
                // Accessors belong to the property or event reported above; re-abstracted base members are
                // implemented through the base interface's own member.
                return null;
        }
    }

    private MethodModel? ParseMethod(IMethodSymbol method)
    {
        var displayName = SymbolFormats.MemberDisplayName(method);
        var valid = true;
        if (method.IsGenericMethod)
        {
            Report(GrainDiagnostics.GenericMethod, method, displayName);
            valid = false;
        }

        if (method.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedAndInternal)
        {
            var accessibility = method.DeclaredAccessibility == Accessibility.Protected ? "protected" : "private protected";
            Report(GrainDiagnostics.InaccessibleMethod, method, displayName, accessibility);
            valid = false;
        }

        var returnKind = KnownTypes.GetReturnKind(method.ReturnType);
        if (returnKind is null)
        {
            Report(GrainDiagnostics.InvalidReturnType, method, displayName, method.ReturnType.ToDisplayString(SymbolFormats.Message));
            valid = false;
        }

        var parameters = new List<ParameterModel>(method.Parameters.Length);
        foreach (var parameter in method.Parameters)
        {
            if (ParseParameter(parameter, displayName) is { } model)
            {
                parameters.Add(model);
            }
            else
            {
                valid = false;
            }
        }

        if (!valid || returnKind is not { } kind)
        {
            return null;
        }

        var resultType = kind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT
            ? ((INamedTypeSymbol)method.ReturnType).TypeArguments[0].ToDisplayString(SymbolFormats.Code)
            : null;

        return new MethodModel(
            DeclaringInterfaceType: method.ContainingType.ToDisplayString(SymbolFormats.Code),
            Name: SymbolFormats.Identifier(method.Name),
            DisplayName: displayName,
            WireName: SymbolFormats.WireName(method),
            ReturnKind: kind,
            ReturnType: method.ReturnType.ToDisplayString(SymbolFormats.Code),
            ResultType: resultType,
            RequestName: ProxyNaming.RequestName(method.Name, _requestNames),
            IsReadOnly: method.GetAttributes().Any(a => KnownTypes.IsReadOnlyAttribute(a.AttributeClass)),
            Parameters: new EquatableArray<ParameterModel>(parameters.ToArray()));
    }

    private ParameterModel? ParseParameter(IParameterSymbol parameter, string methodDisplayName)
    {
        if (parameter.RefKind != RefKind.None)
        {
            Report(GrainDiagnostics.ByRefParameter, parameter, methodDisplayName, parameter.Name, RefKindText(parameter.RefKind));
            return null;
        }

        var type = parameter.Type;
        if (type.IsRefLikeType || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            Report(GrainDiagnostics.UnstorableParameter, parameter, methodDisplayName, parameter.Name, type.ToDisplayString(SymbolFormats.Message));
            return null;
        }

        // Parameters of interfaces read from metadata may be unnamed.
        var name = parameter.Name.Length == 0 ? "arg" + parameter.Ordinal : parameter.Name;
        var attributes = parameter.GetAttributes();
        return new ParameterModel(
            Name: SymbolFormats.Identifier(name),
            Type: type.ToDisplayString(SymbolFormats.Code),
            IsValueType: type.IsValueType,
            IsDynamic: type.TypeKind == TypeKind.Dynamic,
            IsNullableAnnotated: type.NullableAnnotation == NullableAnnotation.Annotated,
            IsParams: parameter.IsParams,
            AllowNull: attributes.Any(a => KnownTypes.IsCodeAnalysisAttribute(a.AttributeClass, "AllowNullAttribute")),
            DisallowNull: attributes.Any(a => KnownTypes.IsCodeAnalysisAttribute(a.AttributeClass, "DisallowNullAttribute")));
    }

    private void Report(DiagnosticDescriptor descriptor, ISymbol at, params string[] messageArgs) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationOf(at), messageArgs));

    /// <summary>
    /// The member's own location when it is declared in this compilation; otherwise (a base interface from a
    /// referenced assembly) the grain interface's, so the error still points at code the developer can change.
    /// </summary>
    private Location LocationOf(ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, grainInterface.ContainingAssembly)
        && symbol.Locations.FirstOrDefault(l => l.IsInSource) is { } location
            ? location
            : interfaceLocation;

    private static string RefKindText(RefKind refKind) => refKind switch
    {
        RefKind.Ref => "ref",
        RefKind.Out => "out",
        RefKind.In => "in",
        RefKind.RefReadOnlyParameter => "ref readonly",
        _ => refKind.ToString(),
    };
}
