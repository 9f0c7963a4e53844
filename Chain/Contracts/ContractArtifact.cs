using System.Text.Json;
using NexusOrleans.Chain.Abi;
using NexusOrleans.Chain.Serialization;

namespace NexusOrleans.Chain.Contracts;

/// <summary>
/// A compiled contract as contracts/compile.mjs writes it (contracts/artifacts/&lt;Name&gt;.json): the ABI and the
/// creation bytecode. The three iChat artifacts are embedded in this assembly, so a deployment from C# runs exactly the
/// bytes the contract tests ran.
/// </summary>
public sealed class ContractArtifact
{
    private ContractArtifact(string name, ContractAbi abi, byte[] bytecode)
    {
        Name = name;
        Abi = abi;
        Bytecode = bytecode;
    }

    public string Name { get; }

    public ContractAbi Abi { get; }

    /// <summary>The creation code; constructor arguments are appended ABI-encoded.</summary>
    public byte[] Bytecode { get; }

    public static ContractArtifact IChatToken { get; } = Embedded("IChatToken");

    public static ContractArtifact RelayStaking { get; } = Embedded("RelayStaking");

    public static ContractArtifact RewardDistributor { get; } = Embedded("RewardDistributor");

    /// <summary>Reads an artifact JSON document (contractName, abi, bytecode).</summary>
    public static ContractArtifact Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ContractArtifact(
            root.GetProperty("contractName").GetString() ?? "",
            ContractAbi.Parse(root.GetProperty("abi")),
            Hex.Decode(root.GetProperty("bytecode").GetString() ?? "0x"));
    }

    /// <summary>The creation transaction's data: bytecode ‖ ABI-encoded constructor arguments.</summary>
    public byte[] DeploymentData(params object?[] constructorArguments) =>
        [.. Bytecode, .. AbiCodec.Encode(Abi.ConstructorInputs.Select(p => p.Type).ToArray(), constructorArguments)];

    private static ContractArtifact Embedded(string name)
    {
        var resource = $"NexusOrleans.Chain.Artifacts.{name}.json";
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The artifact {resource} is not embedded; build from a checkout with contracts/artifacts.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
