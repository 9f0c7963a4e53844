namespace NexusOrleans.CodeGenerator.Emit;

/// <summary>Fully qualified names of the types generated code refers to.</summary>
internal static class Names
{
    public const string GeneratedCodeAttribute =
        "[global::System.CodeDom.Compiler.GeneratedCode(\"NexusOrleans.CodeGenerator\", \"1.0.0\")]";

    public const string AllowNullAttribute = "[global::System.Diagnostics.CodeAnalysis.AllowNull]";
    public const string GrainProxyAttribute = "global::NexusOrleans.Runtime.Invocation.GrainProxyAttribute";
    public const string GrainReference = "global::NexusOrleans.Runtime.Invocation.GrainReference";
    public const string GrainRequest = "global::NexusOrleans.Runtime.Invocation.GrainRequest";
    public const string VoidGrainRequest = "global::NexusOrleans.Runtime.Invocation.VoidGrainRequest";
    public const string GrainCallSink = "global::NexusOrleans.Runtime.Invocation.IGrainCallSink";
    public const string GrainId = "global::NexusOrleans.Runtime.GrainId";
    public const string ArgumentWriter = "global::NexusOrleans.Runtime.Invocation.IGrainArgumentWriter";
    public const string ArgumentReader = "global::NexusOrleans.Runtime.Invocation.IGrainArgumentReader";
    public const string RequestRegistrar = "global::NexusOrleans.Runtime.Invocation.IGrainRequestRegistrar";
    public const string ValueTask = "global::System.Threading.Tasks.ValueTask";
}
