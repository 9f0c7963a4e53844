using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.CodeGenerator.Tests.Support;

/// <summary>
/// A compilation emitted to memory and loaded into its own collectible context. The Abstractions assembly resolves
/// from the default context, so generated proxies derive from the same <see cref="GrainReference"/> the test sees.
/// </summary>
internal sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LoadedAssembly(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    public static LoadedAssembly Emit(Compilation compilation)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException("Compilation failed: " + string.Join(Environment.NewLine, result.Diagnostics));
        }

        image.Position = 0;
        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        return new LoadedAssembly(context, context.LoadFromStream(image));
    }

    public Type GetType(string fullName) =>
        Assembly.GetType(fullName, throwOnError: true)!;

    /// <summary>The proxy type registered for <paramref name="interfaceType"/> through <see cref="GrainProxyAttribute"/>.</summary>
    public Type ProxyTypeFor(Type interfaceType) =>
        Assembly.GetCustomAttributes<GrainProxyAttribute>().Single(a => a.InterfaceType == interfaceType).ProxyType;

    /// <summary>Creates the proxy of <paramref name="interfaceFullName"/>, as the runtime would.</summary>
    public object CreateProxy(string interfaceFullName, IGrainCallSink sink)
    {
        var grainId = new GrainId(GrainType.Create("test"), "key-1");
        return Activator.CreateInstance(ProxyTypeFor(GetType(interfaceFullName)), sink, grainId)!;
    }

    public object CreateInstance(string fullName) => Activator.CreateInstance(GetType(fullName))!;

    public void Dispose() => _context.Unload();
}
