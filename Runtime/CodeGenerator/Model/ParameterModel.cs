namespace NexusOrleans.CodeGenerator.Model;

/// <summary>One by-value parameter of a grain method.</summary>
/// <param name="Name">The parameter name as written in C# (keywords escaped with <c>@</c>).</param>
/// <param name="Type">The parameter type, fully qualified, with nullable annotations.</param>
/// <param name="IsValueType">Value-type fields, like nullable-annotated ones, need no initializer to satisfy nullable analysis.</param>
/// <param name="IsDynamic">Arguments of type <c>dynamic</c> are passed as <c>object</c> so the call stays statically bound.</param>
/// <param name="IsNullableAnnotated">The type carries <c>?</c> at the top level.</param>
/// <param name="IsParams">The parameter is declared <c>params</c>.</param>
/// <param name="AllowNull">The parameter carries <c>[AllowNull]</c>, which the field and the implementation must repeat.</param>
/// <param name="DisallowNull">The parameter carries <c>[DisallowNull]</c>: the field may hold null as far as the compiler knows, so the call suppresses the check.</param>
internal sealed record ParameterModel(
    string Name,
    string Type,
    bool IsValueType,
    bool IsDynamic,
    bool IsNullableAnnotated,
    bool IsParams,
    bool AllowNull,
    bool DisallowNull);
