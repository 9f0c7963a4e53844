namespace NexusOrleans.CodeGenerator.Model;

/// <summary>Everything needed to emit the proxy of one grain or observer interface; strings only, no symbols.</summary>
/// <param name="InterfaceType">The interface, fully qualified with <c>global::</c>.</param>
/// <param name="ProxyName">The proxy's simple name in <c>NexusOrleans.Generated</c>, unique per compilation.</param>
/// <param name="Methods">Every method the proxy implements, the interface's own first, then its bases'.</param>
internal sealed record ProxyModel(string InterfaceType, string ProxyName, EquatableArray<MethodModel> Methods)
{
    public const string Namespace = "NexusOrleans.Generated";

    public string HintName => ProxyName + ".g.cs";

    public string ProxyType => "global::" + Namespace + "." + ProxyName;
}
