using System.Text.Json;

namespace NexusOrleans.Chain.Abi;

/// <summary>
/// The functions, events, errors and constructor of one contract, read from its compiler ABI (JSON). Functions are
/// looked up by name (the contracts here overload none); events by name or topic; errors by selector, with Solidity's
/// built-in <c>Error(string)</c> and <c>Panic(uint256)</c> always known.
/// </summary>
public sealed class ContractAbi
{
    private readonly Dictionary<string, AbiFunction> _functions;
    private readonly Dictionary<string, AbiEvent> _events;
    private readonly List<AbiError> _errors;

    private ContractAbi(IEnumerable<AbiFunction> functions, IEnumerable<AbiEvent> events, IEnumerable<AbiError> errors, IReadOnlyList<AbiParameter> constructorInputs)
    {
        _functions = functions.ToDictionary(f => f.Name, StringComparer.Ordinal);
        _events = events.ToDictionary(e => e.Name, StringComparer.Ordinal);
        _errors = [.. errors, AbiError.ErrorString, AbiError.Panic];
        ConstructorInputs = constructorInputs;
    }

    public IReadOnlyList<AbiParameter> ConstructorInputs { get; }

    public IEnumerable<AbiFunction> Functions => _functions.Values;

    public IEnumerable<AbiEvent> Events => _events.Values;

    public IReadOnlyList<AbiError> Errors => _errors;

    /// <summary>Parses the "abi" array of a compiler artifact.</summary>
    public static ContractAbi Parse(JsonElement abi)
    {
        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        IReadOnlyList<AbiParameter> constructor = [];
        foreach (var entry in abi.EnumerateArray())
        {
            var kind = entry.GetProperty("type").GetString();
            var name = entry.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            switch (kind)
            {
                case "function":
                    var mutability = entry.TryGetProperty("stateMutability", out var m) ? m.GetString() : null;
                    functions.Add(new AbiFunction(name, Parameters(entry, "inputs"), Parameters(entry, "outputs"), mutability is "view" or "pure"));
                    break;
                case "event":
                    events.Add(new AbiEvent(name, Parameters(entry, "inputs")));
                    break;
                case "error":
                    errors.Add(new AbiError(name, Parameters(entry, "inputs")));
                    break;
                case "constructor":
                    constructor = Parameters(entry, "inputs");
                    break;
            }
        }

        if (functions.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1) is { } overloaded)
        {
            throw new NotSupportedException($"Function '{overloaded.Key}' is overloaded; look-up by name needs unique names.");
        }

        return new ContractAbi(functions, events, errors, constructor);
    }

    public AbiFunction Function(string name) =>
        _functions.TryGetValue(name, out var function)
            ? function
            : throw new KeyNotFoundException($"The contract has no function '{name}'.");

    public AbiEvent Event(string name) =>
        _events.TryGetValue(name, out var abiEvent)
            ? abiEvent
            : throw new KeyNotFoundException($"The contract has no event '{name}'.");

    /// <summary>The error whose selector starts <paramref name="revertData"/>, decoded; null when the data is empty or unknown.</summary>
    public DecodedError? DecodeError(ReadOnlySpan<byte> revertData)
    {
        if (revertData.Length < 4)
        {
            return null;
        }

        foreach (var error in _errors)
        {
            if (revertData[..4].SequenceEqual(error.Selector))
            {
                try
                {
                    return error.Decode(revertData);
                }
                catch (FormatException)
                {
                    return null; // the selector matched by chance or the arguments are malformed
                }
            }
        }

        return null;
    }

    /// <summary>The decoded logs of <paramref name="logs"/> that are events of this contract's ABI (topic 0 known).</summary>
    public IEnumerable<DecodedEvent> DecodeLogs(IEnumerable<Rpc.LogEntry> logs) =>
        logs.SelectMany(log => _events.Values.Where(e => e.Matches(log)).Take(1).Select(e => e.Decode(log)));

    private static AbiParameter[] Parameters(JsonElement entry, string property) =>
        entry.TryGetProperty(property, out var list)
            ? list.EnumerateArray().Select(p => new AbiParameter(
                p.GetProperty("name").GetString() ?? "",
                AbiType.Parse(p.GetProperty("type").GetString() ?? ""),
                p.TryGetProperty("indexed", out var indexed) && indexed.GetBoolean())).ToArray()
            : [];
}
