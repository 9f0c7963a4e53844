namespace NexusOrleans.Runtime;

/// <summary>
/// The identity of one grain: its type and its key. There is at most one activation per id in a silo.
/// </summary>
public readonly record struct GrainId
{
    /// <summary>Creates an id after validating the key (see <see cref="GrainKey.Validate"/>).</summary>
    public GrainId(GrainType type, string key)
    {
        if (type.Name is null)
        {
            throw new ArgumentException("Grain type must be created with GrainType.Create.", nameof(type));
        }

        GrainKey.Validate(key);
        Type = type;
        Key = key;
    }

    /// <summary>The kind of grain.</summary>
    public GrainType Type { get; }

    /// <summary>The grain's key within its type.</summary>
    public string Key { get; }

    /// <summary>
    /// A hash of type and key that is the same in every process and every version: FNV-1a (32 bit) over
    /// the UTF-8 bytes of <c>type + "/" + key</c>. Stored with every row so that the cluster can assign rows
    /// to partitions without reading them; changing this function would orphan stored data.
    /// </summary>
    public int StableHash
    {
        get
        {
            const uint offsetBasis = 2166136261;
            const uint prime = 16777619;
            var hash = offsetBasis;
            Span<byte> buffer = stackalloc byte[4];
            foreach (var rune in $"{Type.Name}/{Key}".EnumerateRunes())
            {
                var length = rune.EncodeToUtf8(buffer);
                for (var i = 0; i < length; i++)
                {
                    hash = (hash ^ buffer[i]) * prime;
                }
            }

            return unchecked((int)hash);
        }
    }

    /// <summary><c>type/key</c>, as used in log lines and error messages.</summary>
    public override string ToString() => $"{Type.Name}/{Key}";
}
