using System.Security.Cryptography;
using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Settlement;

/// <summary>
/// The Merkle tree of one epoch's reward batch, whose root is anchored on chain and against which each operator claims
/// with a proof. It is built exactly as <c>StandardMerkleTree.of(values, ["address", "uint256", "uint256"])</c> of
/// @openzeppelin/merkle-tree 1.0.8 builds it, so the root and every proof are byte-identical to that package's and
/// verify with OpenZeppelin's <c>MerkleProof.verify</c> in Solidity.
/// </summary>
/// <remarks>
/// <para>
/// Conventions (docs/PROTOCOL.md, "Epoch batches and Merkle proofs"): a leaf is <see cref="EpochLeaf.Hash"/>; an inner
/// node is Keccak-256 of its two children with the smaller first (byte order), so a proof is a plain list of siblings
/// with no left/right flags. The leaf hashes are sorted ascending and laid out as a complete binary tree in one array
/// of 2n − 1 nodes: node i has children 2i + 1 and 2i + 2, the root is node 0, and the sorted leaves fill the last n
/// slots in reverse (the smallest hash is the last node). With n not a power of two the leaves sit on two levels and
/// proofs differ in length by one; that is the package's layout, and matching it is the point.
/// </para>
/// <para>
/// The tree refuses an empty batch and an operator listed twice: a second line for the same address would be a second
/// valid claim. Addresses are compared by their bytes, so case does not make two operators different. The tree is
/// immutable once built and safe to share between threads.
/// </para>
/// </remarks>
public sealed class EpochBatchTree
{
    public const int HashBytes = Keccak.HashBytes;

    private readonly byte[][] _nodes;
    private readonly int[] _nodeOfLeaf;
    private readonly Dictionary<string, int> _leafOfOperator;

    private EpochBatchTree(EpochLeaf[] leaves, byte[][] nodes, int[] nodeOfLeaf, Dictionary<string, int> leafOfOperator)
    {
        Leaves = leaves;
        _nodes = nodes;
        _nodeOfLeaf = nodeOfLeaf;
        _leafOfOperator = leafOfOperator;
    }

    /// <summary>The leaves in the order they were given; proofs are asked for by this index.</summary>
    public IReadOnlyList<EpochLeaf> Leaves { get; }

    /// <summary>The 32-byte root (a copy).</summary>
    public byte[] Root => _nodes[0].ToArray();

    /// <summary>The root as "0x" and 64 lower-case hex characters, as the package prints it.</summary>
    public string RootHex => "0x" + Convert.ToHexStringLower(_nodes[0]);

    /// <summary>The tree of <paramref name="leaves"/>; throws <see cref="ArgumentException"/> for an empty batch, a bad address or a repeated operator.</summary>
    public static EpochBatchTree Build(IReadOnlyList<EpochLeaf> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("An epoch batch needs at least one leaf; an epoch with no operator to pay has no batch to anchor.", nameof(leaves));
        }

        var copy = leaves.ToArray();
        var leafOfOperator = new Dictionary<string, int>(copy.Length, StringComparer.Ordinal);
        var hashes = new byte[copy.Length][];
        for (var i = 0; i < copy.Length; i++)
        {
            var leaf = copy[i] ?? throw new ArgumentException($"leaves[{i}] is null.", nameof(leaves));
            var key = OperatorKey(leaf.Operator, $"leaves[{i}].Operator");
            if (!leafOfOperator.TryAdd(key, i))
            {
                throw new ArgumentException(
                    $"Operator {leaf.Operator} is in the batch twice (leaves[{leafOfOperator[key]}] and leaves[{i}]); each operator has one line per epoch.",
                    nameof(leaves));
            }

            hashes[i] = leaf.Hash();
        }

        var sorted = Enumerable.Range(0, copy.Length).OrderBy(i => hashes[i], ByteOrder.Instance).ToArray();
        var nodes = new byte[2 * copy.Length - 1][];
        var nodeOfLeaf = new int[copy.Length];
        for (var rank = 0; rank < sorted.Length; rank++)
        {
            var node = nodes.Length - 1 - rank;
            nodes[node] = hashes[sorted[rank]];
            nodeOfLeaf[sorted[rank]] = node;
        }

        for (var i = nodes.Length - 1 - copy.Length; i >= 0; i--)
        {
            nodes[i] = HashPair(nodes[(2 * i) + 1], nodes[(2 * i) + 2]);
        }

        return new EpochBatchTree(copy, nodes, nodeOfLeaf, leafOfOperator);
    }

    /// <summary>The proof of <c>Leaves[<paramref name="index"/>]</c>: sibling hashes from the leaf up to below the root.</summary>
    public IReadOnlyList<byte[]> GetProof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Leaves.Count);
        var proof = new List<byte[]>();
        for (var node = _nodeOfLeaf[index]; node > 0; node = (node - 1) / 2)
        {
            // Odd nodes are left children, so the sibling is the next node; even ones are right children.
            proof.Add(_nodes[node % 2 == 1 ? node + 1 : node - 1].ToArray());
        }

        return proof;
    }

    /// <summary>The proof of <paramref name="leaf"/>, which must be in the batch with exactly these amounts.</summary>
    public IReadOnlyList<byte[]> GetProof(EpochLeaf leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (!_leafOfOperator.TryGetValue(OperatorKey(leaf.Operator, nameof(leaf)), out var index)
            || Leaves[index].Reward != leaf.Reward || Leaves[index].Slash != leaf.Slash)
        {
            throw new ArgumentException($"{leaf} is not a line of this batch; ask for a proof of a leaf the batch was built from.", nameof(leaf));
        }

        return GetProof(index);
    }

    /// <summary>
    /// Whether <paramref name="proof"/> proves <paramref name="leaf"/> under <paramref name="root"/>, as
    /// <c>MerkleProof.verify</c> decides it. A proof entry that is not 32 bytes makes the proof invalid, not an error.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> root, EpochLeaf leaf, IEnumerable<byte[]> proof)
    {
        if (root.Length != HashBytes)
        {
            throw new ArgumentException($"A Merkle root is {HashBytes} bytes long, not {root.Length}.", nameof(root));
        }

        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(proof);
        var hash = leaf.Hash();
        foreach (var sibling in proof)
        {
            if (sibling is not { Length: HashBytes })
            {
                return false;
            }

            hash = HashPair(hash, sibling);
        }

        return CryptographicOperations.FixedTimeEquals(hash, root);
    }

    private static byte[] HashPair(byte[] a, byte[] b)
    {
        Span<byte> pair = stackalloc byte[2 * HashBytes];
        var (first, second) = ByteOrder.Instance.Compare(a, b) <= 0 ? (a, b) : (b, a);
        first.CopyTo(pair);
        second.CopyTo(pair[HashBytes..]);
        return Keccak.Hash256(pair);
    }

    private static string OperatorKey(string address, string name) =>
        Convert.ToHexStringLower(AbiEncoder.ParseAddress(address, name));

    /// <summary>Unsigned lexicographic byte order, the package's <c>compareBytes</c>.</summary>
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y.AsSpan());
    }
}
