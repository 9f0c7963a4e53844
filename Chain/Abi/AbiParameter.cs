namespace NexusOrleans.Chain.Abi;

/// <summary>A named parameter of a function, event or error; <see cref="Indexed"/> only for event parameters.</summary>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false);

/// <summary>Arguments decoded by name, in declaration order.</summary>
public sealed class AbiValues
{
    private readonly IReadOnlyList<AbiParameter> _parameters;
    private readonly object[] _values;

    internal AbiValues(IReadOnlyList<AbiParameter> parameters, object[] values)
    {
        _parameters = parameters;
        _values = values;
    }

    public int Count => _values.Length;

    public object this[int index] => _values[index];

    /// <summary>The value of the parameter called <paramref name="name"/>; throws when there is none.</summary>
    public object this[string name]
    {
        get
        {
            for (var i = 0; i < _parameters.Count; i++)
            {
                if (_parameters[i].Name == name)
                {
                    return _values[i];
                }
            }

            throw new KeyNotFoundException($"No parameter is called '{name}'; there are: {string.Join(", ", _parameters.Select(p => p.Name))}.");
        }
    }

    public IReadOnlyList<AbiParameter> Parameters => _parameters;

    /// <summary>"name value, name value", for messages.</summary>
    public override string ToString() =>
        string.Join(", ", _parameters.Select((parameter, i) => $"{parameter.Name} {Format(_values[i])}".Trim()));

    internal static string Format(object value) => value switch
    {
        byte[] bytes => Serialization.Hex.Encode(bytes),
        bool flag => flag ? "true" : "false",
        string text => text,
        IEnumerable<object> items => "[" + string.Join(", ", items.Select(Format)) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
