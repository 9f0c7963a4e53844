namespace NexusOrleans.Runtime.Catalog;

/// <summary>
/// The grain classes of this silo, by grain type name and by interface. An interface implemented by exactly one
/// class can be used with <see cref="IGrainFactory.GetGrain{TGrainInterface}(string)"/>; one implemented by several
/// (such as <see cref="IRemindable"/>) can only address an existing <see cref="GrainId"/>.
/// </summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<GrainType, GrainClass> _byType = [];
    private readonly Dictionary<Type, GrainClass?> _byInterface = [];

    public GrainTypeRegistry(IEnumerable<Type> grainClasses)
    {
        foreach (var classType in grainClasses.Distinct())
        {
            Validate(classType);
            var grainClass = new GrainClass(classType, GrainClass.NameOf(classType));
            if (_byType.TryGetValue(grainClass.GrainType, out var existing))
            {
                throw new InvalidOperationException(
                    $"Grain classes {existing.ClassType.FullName} and {classType.FullName} both have grain type '{grainClass.GrainType}'; " +
                    "give one of them another name with [GrainType(\"...\")].");
            }

            _byType.Add(grainClass.GrainType, grainClass);
            foreach (var grainInterface in grainClass.Interfaces)
            {
                // Null marks an interface shared by several classes: usable only with an existing GrainId.
                _byInterface[grainInterface] = _byInterface.ContainsKey(grainInterface) ? null : grainClass;
            }
        }
    }

    public IReadOnlyCollection<GrainClass> Classes => _byType.Values;

    public bool TryGetClass(GrainType grainType, out GrainClass grainClass)
        => _byType.TryGetValue(grainType, out grainClass!);

    /// <summary>The grain type that <paramref name="grainInterface"/> addresses by key.</summary>
    /// <exception cref="ArgumentException">No class, or more than one, implements the interface.</exception>
    public GrainType GetGrainTypeFor(Type grainInterface)
    {
        if (_byInterface.TryGetValue(grainInterface, out var grainClass))
        {
            return grainClass?.GrainType ?? throw new ArgumentException(
                $"{grainInterface.Name} is implemented by several grain classes, so a key alone does not say which grain to call; " +
                "address the grain through its own interface, or use GetGrain with a GrainId.");
        }

        throw new ArgumentException(
            $"No grain class implementing {grainInterface.Name} is registered in this silo; register it with AddGrain<T>() or AddGrains(assembly).");
    }

    private static void Validate(Type classType)
    {
        if (!typeof(Grain).IsAssignableFrom(classType) || classType.IsAbstract || classType.IsGenericTypeDefinition)
        {
            throw new ArgumentException($"{classType.FullName} is not a concrete grain class: it must be a non-abstract, non-generic subclass of Grain.");
        }
    }
}
