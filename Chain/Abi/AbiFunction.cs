using System.Text;
using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Chain.Abi;

/// <summary>A contract function: its 4-byte selector (Keccak-256 of the signature), call data, and return values.</summary>
public sealed class AbiFunction
{
    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs, bool isView)
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        IsView = isView;
        Signature = $"{name}({string.Join(",", inputs.Select(p => p.Type.Name))})";
        Selector = Keccak.Hash256(Encoding.ASCII.GetBytes(Signature))[..4];
    }

    public string Name { get; }

    /// <summary>"anchor(uint256,bytes32)".</summary>
    public string Signature { get; }

    public byte[] Selector { get; }

    public IReadOnlyList<AbiParameter> Inputs { get; }

    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary>A view or pure function: read with eth_call, never sent.</summary>
    public bool IsView { get; }

    /// <summary>The call data: selector ‖ ABI-encoded arguments.</summary>
    public byte[] EncodeCall(params object?[] arguments) =>
        [.. Selector, .. AbiCodec.Encode(Inputs.Select(p => p.Type).ToArray(), arguments)];

    /// <summary>The return values of an eth_call.</summary>
    public AbiValues DecodeOutput(ReadOnlySpan<byte> returnData) =>
        new(Outputs, AbiCodec.Decode(Outputs.Select(p => p.Type).ToArray(), returnData));
}
