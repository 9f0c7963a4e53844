using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Catalog;

/// <summary>
/// Creates generated proxies. The source generator registers each proxy class with an assembly-level
/// <see cref="GrainProxyAttribute"/> in the interface's assembly; the constructor is compiled into a delegate once.
/// </summary>
internal static class ProxyFactory
{
    private static readonly ConcurrentDictionary<Type, Func<IGrainCallSink, GrainId, object>> Constructors = new();

    public static TInterface Create<TInterface>(IGrainCallSink sink, GrainId grainId)
        => (TInterface)Constructors.GetOrAdd(typeof(TInterface), Compile)(sink, grainId);

    private static Func<IGrainCallSink, GrainId, object> Compile(Type grainInterface)
    {
        var proxyType = grainInterface.Assembly.GetCustomAttributes<GrainProxyAttribute>()
            .FirstOrDefault(attribute => attribute.InterfaceType == grainInterface)?.ProxyType
            ?? throw new ArgumentException(
                $"{grainInterface.FullName} has no generated proxy: it must extend IGrain or IGrainObserver and its project must " +
                "reference NexusOrleans.CodeGenerator as an analyzer (see the NexusOrleans.Runtime.Abstractions project file).");

        var sink = Expression.Parameter(typeof(IGrainCallSink), "sink");
        var id = Expression.Parameter(typeof(GrainId), "grainId");
        var constructor = proxyType.GetConstructor([typeof(IGrainCallSink), typeof(GrainId)])
            ?? throw new InvalidOperationException($"Proxy {proxyType.FullName} lacks the constructor (IGrainCallSink, GrainId).");
        return Expression.Lambda<Func<IGrainCallSink, GrainId, object>>(Expression.New(constructor, sink, id), sink, id).Compile();
    }
}
