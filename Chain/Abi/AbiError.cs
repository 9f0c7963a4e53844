using System.Text;
using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Chain.Abi;

/// <summary>
/// A Solidity custom error (or the built-in <c>Error(string)</c> and <c>Panic(uint256)</c>): revert data is its 4-byte
/// selector followed by the ABI-encoded arguments, exactly like a call.
/// </summary>
public sealed class AbiError
{
    public static readonly AbiError ErrorString = new("Error", [new AbiParameter("message", AbiType.Parse("string"))]);
    public static readonly AbiError Panic = new("Panic", [new AbiParameter("code", AbiType.Parse("uint256"))]);

    public AbiError(string name, IReadOnlyList<AbiParameter> inputs)
    {
        Name = name;
        Inputs = inputs;
        Signature = $"{name}({string.Join(",", inputs.Select(p => p.Type.Name))})";
        Selector = Keccak.Hash256(Encoding.ASCII.GetBytes(Signature))[..4];
    }

    public string Name { get; }

    public string Signature { get; }

    public byte[] Selector { get; }

    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The revert data of this error with these arguments.</summary>
    public byte[] Encode(params object?[] arguments) =>
        [.. Selector, .. AbiCodec.Encode(Inputs.Select(p => p.Type).ToArray(), arguments)];

    public DecodedError Decode(ReadOnlySpan<byte> revertData)
    {
        if (revertData.Length < 4 || !revertData[..4].SequenceEqual(Selector))
        {
            throw new FormatException($"This revert data is not a {Signature} error.");
        }

        return new DecodedError(Name, new AbiValues(Inputs, AbiCodec.Decode(Inputs.Select(p => p.Type).ToArray(), revertData[4..])));
    }
}

/// <summary>A decoded revert reason; <see cref="ToString"/> reads like "EpochAlreadyAnchored(epoch 5)".</summary>
public sealed record DecodedError(string Name, AbiValues Arguments)
{
    public override string ToString() => $"{Name}({Arguments})";
}
