using Microsoft.Extensions.DependencyInjection;

namespace NexusOrleans.Runtime.Catalog;

/// <summary>What the runtime knows about one grain class: its type name, how to construct it, its state type.</summary>
internal sealed class GrainClass
{
    private readonly ObjectFactory _factory;

    public GrainClass(Type classType, GrainType grainType)
    {
        ClassType = classType;
        GrainType = grainType;
        _factory = ActivatorUtilities.CreateFactory(classType, Type.EmptyTypes);
        StateType = FindStateType(classType);
        IsRemindable = typeof(IRemindable).IsAssignableFrom(classType);
        Interfaces = [.. classType.GetInterfaces().Where(IsGrainInterface)];
        MetricTag = new KeyValuePair<string, object?>("grain_type", grainType.Name);
    }

    /// <summary>The grain type as a metric tag, built once so that counting a call allocates nothing.</summary>
    public KeyValuePair<string, object?> MetricTag { get; }

    public Type ClassType { get; }

    public GrainType GrainType { get; }

    /// <summary>TState of <see cref="Grain{TState}"/>, or null for a stateless grain.</summary>
    public Type? StateType { get; }

    public bool IsRemindable { get; }

    /// <summary>The grain interfaces the class implements.</summary>
    public IReadOnlyList<Type> Interfaces { get; }

    public Grain Create(IServiceProvider services) => (Grain)_factory(services, null);

    /// <summary>The grain type name for a class: from <see cref="GrainTypeAttribute"/>, else the class name in lower case without a "Grain" suffix.</summary>
    public static GrainType NameOf(Type classType)
    {
        if (classType.GetCustomAttributes(typeof(GrainTypeAttribute), inherit: false) is [GrainTypeAttribute named, ..])
        {
            return GrainType.Create(named.Name);
        }

        var name = classType.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        if (name.Length > "Grain".Length && name.EndsWith("Grain", StringComparison.Ordinal))
        {
            name = name[..^"Grain".Length];
        }

        return GrainType.Create(name.ToLowerInvariant());
    }

    public static bool IsGrainInterface(Type type)
        => type.IsInterface && typeof(IAddressable).IsAssignableFrom(type)
           && type != typeof(IAddressable) && type != typeof(IGrain) && type != typeof(IGrainObserver);

    private static Type? FindStateType(Type classType)
    {
        for (var type = classType.BaseType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Grain<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
