using System.Globalization;
using System.Linq;
using NexusOrleans.CodeGenerator.Model;

namespace NexusOrleans.CodeGenerator.Emit;

/// <summary>
/// Writes the request class of one method: the arguments as public fields, and <c>InvokeCore</c>, which calls the
/// method through its declaring interface so grain classes may implement it explicitly.
/// </summary>
internal static class RequestEmitter
{
    public static string FieldName(int index) => "Arg" + index.ToString(CultureInfo.InvariantCulture);

    public static void Write(CodeWriter writer, MethodModel method)
    {
        var baseType = method.ResultType is null ? Names.VoidGrainRequest : $"{Names.GrainRequest}<{method.ResultType}>";
        writer.Line(Names.GeneratedCodeAttribute)
            .Line($"internal sealed class {method.RequestName} : {baseType}")
            .Open();

        for (var i = 0; i < method.Parameters.Count; i++)
        {
            var parameter = method.Parameters[i];
            if (parameter.AllowNull)
            {
                writer.Line(Names.AllowNullAttribute);
            }

            // The proxy sets every field before the request exists for anyone else; the initializer only tells
            // nullable analysis so.
            var initializer = parameter.IsValueType || parameter.IsNullableAnnotated ? "" : " = default!";
            writer.Line($"public {parameter.Type} {FieldName(i)}{initializer};").Line();
        }

        writer.Line($"public const string Wire = {ProxyEmitter.Literal(method.WireName)};")
            .Line()
            .Line($"public override string MethodName => {ProxyEmitter.Literal(method.DisplayName)};")
            .Line()
            .Line("public override string WireName => Wire;")
            .Line()
            .Line($"public static {Names.GrainRequest} Create() => new {method.RequestName}();");
        if (method.IsReadOnly)
        {
            writer.Line().Line("public override bool IsReadOnly => true;");
        }

        var arguments = string.Join(", ", method.Parameters.Select((p, i) => Argument(p, i)));
        var call = $"(({method.DeclaringInterfaceType})target).{method.Name}({arguments})";
        var (returnType, body) = method.ReturnKind switch
        {
            ReturnKind.Task => (Names.ValueTask, $"new {Names.ValueTask}({call})"),
            ReturnKind.TaskOfT => ($"{Names.ValueTask}<{method.ResultType}>", $"new {Names.ValueTask}<{method.ResultType}>({call})"),
            ReturnKind.ValueTask => (Names.ValueTask, call),
            _ => ($"{Names.ValueTask}<{method.ResultType}>", call),
        };

        writer.Line()
            .Line($"protected override {returnType} InvokeCore(object target)")
            .Indent().Line($"=> {body};").Outdent();
        WriteArgumentCopies(writer, method);
        writer.Close();
    }

    /// <summary>
    /// Argument (de)serialization for calls to other processes, typed by the declared parameter types so the format
    /// never depends on an argument's runtime type. A <c>dynamic</c> parameter travels as <c>object</c>: passing a
    /// dynamic value to a generic method would bind the call at run time.
    /// </summary>
    private static void WriteArgumentCopies(CodeWriter writer, MethodModel method)
    {
        if (method.Parameters.Count == 0)
        {
            return;
        }

        writer.Line().Line($"public override void WriteArguments({Names.ArgumentWriter} writer)").Open();
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            var parameter = method.Parameters[i];
            var value = parameter.IsDynamic ? (parameter.IsNullableAnnotated ? "(object?)" : "(object)") + FieldName(i) : FieldName(i);
            writer.Line($"writer.Write<{WireType(parameter)}>({value});");
        }

        writer.Close().Line().Line($"public override void ReadArguments({Names.ArgumentReader} reader)").Open();
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            var parameter = method.Parameters[i];

            // JSON null can arrive for any reference type; the receiving grain sees what the caller sent.
            var suppress = parameter.IsValueType || parameter.IsNullableAnnotated ? "" : "!";
            writer.Line($"{FieldName(i)} = reader.Read<{WireType(parameter)}>(){suppress};");
        }

        writer.Close();
    }

    private static string WireType(ParameterModel parameter) =>
        parameter.IsDynamic ? (parameter.IsNullableAnnotated ? "object?" : "object") : parameter.Type;

    private static string Argument(ParameterModel parameter, int index)
    {
        var field = FieldName(index);
        if (parameter.IsDynamic)
        {
            // A dynamic argument would bind the call at run time; as object it binds now, to the same method.
            return (parameter.IsNullableAnnotated ? "(object?)" : "(object)") + field;
        }

        // [DisallowNull] fields read as maybe-null; the value came from a parameter that was checked on the way in.
        return parameter.DisallowNull ? field + "!" : field;
    }
}
