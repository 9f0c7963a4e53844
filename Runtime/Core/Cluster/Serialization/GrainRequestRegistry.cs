using System.Collections.Concurrent;
using System.Reflection;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Cluster.Serialization;

/// <summary>
/// Wire name → factory of the generated request class, for the whole process. Each generated proxy registers its
/// requests through its static <c>RegisterRequests</c>; the registry finds proxies through the
/// <see cref="GrainProxyAttribute"/>s of the loaded assemblies, once per assembly, and looks again only when a name is
/// not known (an interface assembly loaded since). A call itself costs one dictionary lookup and one allocation.
/// The same method reached through several derived interfaces has one wire name; any of its request classes will do.
/// </summary>
internal sealed class GrainRequestRegistry : IGrainRequestRegistrar
{
    public static readonly GrainRequestRegistry Shared = new();

    private readonly ConcurrentDictionary<string, Func<GrainRequest>> _factories = new(StringComparer.Ordinal);
    private readonly HashSet<Assembly> _scanned = [];
    private readonly Lock _scanning = new();

    public bool TryCreate(string wireName, out GrainRequest request)
    {
        if (!_factories.TryGetValue(wireName, out var factory))
        {
            ScanLoadedAssemblies();
            if (!_factories.TryGetValue(wireName, out factory))
            {
                request = null!;
                return false;
            }
        }

        request = factory();
        return true;
    }

    void IGrainRequestRegistrar.Add(string wireName, Func<GrainRequest> factory) => _factories.TryAdd(wireName, factory);

    private void ScanLoadedAssemblies()
    {
        lock (_scanning)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.IsDynamic || !_scanned.Add(assembly))
                {
                    continue;
                }

                foreach (var proxy in assembly.GetCustomAttributes<GrainProxyAttribute>())
                {
                    var register = proxy.ProxyType.GetMethod("RegisterRequests", BindingFlags.Public | BindingFlags.Static, [typeof(IGrainRequestRegistrar)]);

                    // Proxies generated before requests had wire names cannot be called from another process.
                    register?.Invoke(null, [this]);
                }
            }
        }
    }
}
