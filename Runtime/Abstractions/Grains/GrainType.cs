namespace NexusOrleans.Runtime;

/// <summary>
/// The stable name of a kind of grain, such as <c>inbox</c>. It is part of every stored row, so it must
/// not change once data exists: set it with <see cref="GrainTypeAttribute"/> rather than relying on the class name.
/// </summary>
public readonly record struct GrainType
{
    /// <summary>Longest accepted grain type name, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>The type used for observer references (objects that receive pushes from grains).</summary>
    public static readonly GrainType Observer = new("sys.observer", validated: true);

    private GrainType(string name, bool validated) => Name = name;

    /// <summary>The name: lower-case ASCII letters, digits, '.', '-' and '_'.</summary>
    public string Name { get; }

    /// <summary>Validates and wraps a grain type name.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long, or uses a character outside [a-z0-9._-].</exception>
    public static GrainType Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException("Grain type name must not be empty.", nameof(name));
        }

        if (name.Length > MaxLength)
        {
            throw new ArgumentException($"Grain type name '{name[..32]}…' is {name.Length} characters long; the limit is {MaxLength}.", nameof(name));
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_'))
            {
                throw new ArgumentException($"Grain type name '{name}' contains '{c}'; only lower-case ASCII letters, digits, '.', '-' and '_' are allowed.", nameof(name));
            }
        }

        return new GrainType(name, validated: true);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
