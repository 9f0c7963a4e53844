using NexusOrleans.Chain.Abi;
using NexusOrleans.Chain.Serialization;

namespace NexusOrleans.Chain.Contracts;

/// <summary>
/// A contract call or transaction reverted. <see cref="Error"/> is the revert reason decoded with the contract's ABI
/// (e.g. <c>EpochAlreadyAnchored(epoch 5)</c>), null when the data matches no known error; <see cref="RevertData"/> is
/// the raw data either way.
/// </summary>
public sealed class ContractRevertedException(string contract, string function, DecodedError? error, byte[] revertData, Exception? inner = null)
    : Exception($"{contract}.{function} reverted: {error?.ToString() ?? (revertData.Length == 0 ? "no reason given" : "unknown error " + Hex.Encode(revertData))}", inner)
{
    public string Contract { get; } = contract;

    public string Function { get; } = function;

    public DecodedError? Error { get; } = error;

    public byte[] RevertData { get; } = revertData;
}
