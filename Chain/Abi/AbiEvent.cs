using System.Text;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Chain.Abi;

/// <summary>
/// A contract event: topic 0 is Keccak-256 of the signature, the indexed parameters follow as topics (each one word;
/// all indexed parameters of these contracts are static), and the others are ABI-encoded in the log's data.
/// </summary>
public sealed class AbiEvent
{
    public AbiEvent(string name, IReadOnlyList<AbiParameter> inputs)
    {
        Name = name;
        Inputs = inputs;
        Signature = $"{name}({string.Join(",", inputs.Select(p => p.Type.Name))})";
        Topic = Keccak.Hash256(Encoding.ASCII.GetBytes(Signature));
    }

    public string Name { get; }

    public string Signature { get; }

    /// <summary>Topic 0 of every log of this event.</summary>
    public byte[] Topic { get; }

    public string TopicHex => Serialization.Hex.Encode(Topic);

    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>Whether <paramref name="log"/> is this event (by topic 0).</summary>
    public bool Matches(LogEntry log) =>
        log.Topics.Count > 0 && string.Equals(log.Topics[0], TopicHex, StringComparison.OrdinalIgnoreCase);

    /// <summary>The arguments of a log of this event; throws <see cref="FormatException"/> for another event's log.</summary>
    public DecodedEvent Decode(LogEntry log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var indexed = Inputs.Where(p => p.Indexed).ToArray();
        if (!Matches(log) || log.Topics.Count != indexed.Length + 1)
        {
            throw new FormatException($"This log is not a {Signature} event.");
        }

        var plain = AbiCodec.Decode(Inputs.Where(p => !p.Indexed).Select(p => p.Type).ToArray(), log.Data);
        var values = new object[Inputs.Count];
        int topic = 1, data = 0;
        for (var i = 0; i < Inputs.Count; i++)
        {
            values[i] = Inputs[i].Indexed
                ? AbiCodec.DecodeWord(Inputs[i].Type, Serialization.Hex.Decode(log.Topics[topic++]))
                : plain[data++];
        }

        return new DecodedEvent(Name, new AbiValues(Inputs, values), log);
    }
}

/// <summary>A decoded log: the event's name, its arguments, and the log it came from (block, transaction, index).</summary>
public sealed record DecodedEvent(string Name, AbiValues Arguments, LogEntry Log)
{
    public override string ToString() => $"{Name}({Arguments})";
}
