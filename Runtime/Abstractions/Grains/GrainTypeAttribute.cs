namespace NexusOrleans.Runtime;

/// <summary>
/// Names a grain class's <see cref="GrainType"/>. Without it the name is the class name in lower case
/// with a trailing "Grain" removed (<c>InboxGrain</c> → <c>inbox</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
