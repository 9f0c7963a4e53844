using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Settlement;

/// <summary>
/// One relay operator's line in an hourly reward batch: the operator's EVM address, the reward earned and the amount
/// slashed in that epoch, both in token base units (18 decimals). It is the Solidity tuple
/// <c>(address operator, uint256 reward, uint256 slash)</c>, hashed the way OpenZeppelin's <c>StandardMerkleTree</c>
/// and <c>MerkleProof</c> expect (see <see cref="EpochBatchTree"/>).
/// </summary>
/// <param name="Operator">The operator's address: "0x" and 40 hex characters, any case.</param>
/// <param name="Reward">Tokens earned in the epoch, in base units.</param>
/// <param name="Slash">Tokens slashed in the epoch, in base units.</param>
public sealed record EpochLeaf(string Operator, UInt128 Reward, UInt128 Slash)
{
    /// <summary>Three ABI words: address, reward, slash.</summary>
    public const int EncodedBytes = 3 * AbiEncoder.WordBytes;

    /// <summary><c>abi.encode(operator, reward, slash)</c>: 96 bytes, the static-tuple head encoding.</summary>
    public byte[] Encode()
    {
        var encoded = new byte[EncodedBytes];
        var span = encoded.AsSpan();
        AbiEncoder.WriteAddress(AbiEncoder.ParseAddress(Operator, nameof(Operator)), span[..32]);
        AbiEncoder.WriteUInt256(Reward, span[32..64]);
        AbiEncoder.WriteUInt256(Slash, span[64..]);
        return encoded;
    }

    /// <summary>
    /// <c>keccak256(keccak256(abi.encode(operator, reward, slash)))</c>. Hashing twice makes a leaf's hash differ from
    /// any inner node's (an inner node hashes 64 bytes, a leaf's outer hash 32), so no inner node can pass for a leaf.
    /// </summary>
    public byte[] Hash() => Keccak.Hash256(Keccak.Hash256(Encode()));
}
