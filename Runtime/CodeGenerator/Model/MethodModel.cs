namespace NexusOrleans.CodeGenerator.Model;

/// <summary>One interface method of a proxy and the request class that carries its calls.</summary>
/// <param name="DeclaringInterfaceType">The interface declaring the method, fully qualified with <c>global::</c>.</param>
/// <param name="Name">The method name as written in C# (keywords escaped with <c>@</c>).</param>
/// <param name="DisplayName"><c>Interface.Method</c> with simple names, the request's <c>MethodName</c>.</param>
/// <param name="WireName">The method's identity across processes, the request's <c>WireName</c> (see <c>SymbolFormats.WireName</c>).</param>
/// <param name="ReturnKind">Which of the four awaitable shapes the method returns.</param>
/// <param name="ReturnType">The full return type, fully qualified.</param>
/// <param name="ResultType">The <c>T</c> of <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>; null otherwise.</param>
/// <param name="RequestName">The request class's simple name, unique within the proxy.</param>
/// <param name="IsReadOnly">The method carries <c>[ReadOnly]</c>.</param>
internal sealed record MethodModel(
    string DeclaringInterfaceType,
    string Name,
    string DisplayName,
    string WireName,
    ReturnKind ReturnKind,
    string ReturnType,
    string? ResultType,
    string RequestName,
    bool IsReadOnly,
    EquatableArray<ParameterModel> Parameters);

/// <summary>The awaitable shapes a grain method may return.</summary>
internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}
