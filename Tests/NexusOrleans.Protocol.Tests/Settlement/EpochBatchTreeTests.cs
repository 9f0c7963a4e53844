using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Protocol.Tests.Settlement;

public sealed class EpochBatchTreeTests
{
    private const ulong Token = 1_000_000_000_000_000_000; // 10^18 base units

    /// <summary>The worked example of docs/PROTOCOL.md, "Epoch batches and Merkle proofs".</summary>
    internal static readonly EpochLeaf[] DocumentedExample =
    [
        new("0x1111111111111111111111111111111111111111", 5 * (UInt128)Token, 0),
        new("0x2222222222222222222222222222222222222222", 2 * (UInt128)Token + Token / 2, Token),
    ];

    internal const string DocumentedExampleRoot = "0xd6d5434d170b5e99b4b7176b792e5f510f56b3c926c412070e4c20361fd3504a";

    [Fact]
    public void Build_DocumentedTwoLeafExample_GivesTheDocumentedRootAndLeafHashes()
    {
        var tree = EpochBatchTree.Build(DocumentedExample);

        Assert.Equal(DocumentedExampleRoot, tree.RootHex);
        Assert.Equal(Keccak.Hash256(Sorted(DocumentedExample[0].Hash(), DocumentedExample[1].Hash())), tree.Root);
    }

    [Fact]
    public void Encode_Leaf_IsThreeLeftPaddedBigEndianWords()
    {
        var leaf = new EpochLeaf("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", UInt128.MaxValue, 0x0102);

        var expected = new string('0', 24) + "9858effd232b4033e47d90003d41ec34ecaeda94"
                       + new string('0', 32) + new string('f', 32)
                       + new string('0', 60) + "0102";
        Assert.Equal(expected, Convert.ToHexStringLower(leaf.Encode()));
        Assert.Equal(Keccak.Hash256(Keccak.Hash256(leaf.Encode())), leaf.Hash());
    }

    [Fact]
    public void Build_OneLeaf_RootIsTheLeafHashAndTheProofIsEmpty()
    {
        var leaf = DocumentedExample[0];

        var tree = EpochBatchTree.Build([leaf]);

        Assert.Equal(leaf.Hash(), tree.Root);
        Assert.Empty(tree.GetProof(0));
        Assert.True(EpochBatchTree.Verify(tree.Root, leaf, []));
    }

    [Fact]
    public void Build_SameLeavesInAnotherOrder_GivesTheSameRoot()
    {
        var leaves = EpochBatches.Random(7, 7);

        Assert.Equal(EpochBatchTree.Build(leaves).RootHex, EpochBatchTree.Build(leaves.Reverse().ToArray()).RootHex);
    }

    [Fact]
    public void Build_EmptyBatch_ThrowsSayingABatchNeedsALeaf()
    {
        var error = Assert.Throws<ArgumentException>(() => EpochBatchTree.Build([]));

        Assert.Contains("at least one leaf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameOperatorTwiceInAnotherCase_ThrowsNamingBothLines()
    {
        EpochLeaf[] leaves =
        [
            new("0x9858effd232b4033e47d90003d41ec34ecaeda94", 1, 0),
            DocumentedExample[0],
            new("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", 2, 0),
        ];

        var error = Assert.Throws<ArgumentException>(() => EpochBatchTree.Build(leaves));

        Assert.Contains("leaves[0] and leaves[2]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9858EfFD232B4033E47d90003D41EC34EcaEda94")]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda")]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda9400")]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEdaZZ")]
    [InlineData("")]
    public void Build_OperatorNotAnAddress_ThrowsSayingTheShape(string address)
    {
        EpochLeaf[] leaves = [DocumentedExample[0], new(address, 1, 0)];

        var error = Assert.Throws<ArgumentException>(() => EpochBatchTree.Build(leaves));

        Assert.Contains("40 hex characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("leaves[1].Operator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_EveryLeafOfASevenLeafBatchWithItsOwnProof_IsTrue()
    {
        var leaves = EpochBatches.Random(7, 77);
        var tree = EpochBatchTree.Build(leaves);

        Assert.All(Enumerable.Range(0, leaves.Length), i => Assert.True(EpochBatchTree.Verify(tree.Root, leaves[i], tree.GetProof(i))));
    }

    [Fact]
    public void Verify_ProofOfOneLeafForAnotherLeaf_IsFalse()
    {
        var leaves = EpochBatches.Random(7, 77);
        var tree = EpochBatchTree.Build(leaves);

        Assert.False(EpochBatchTree.Verify(tree.Root, leaves[1], tree.GetProof(2)));
    }

    [Fact]
    public void Verify_LeafWithAHigherRewardThanInTheBatch_IsFalse()
    {
        var leaves = EpochBatches.Random(7, 77);
        var tree = EpochBatchTree.Build(leaves);

        var claimed = leaves[3] with { Reward = leaves[3].Reward + 1 };

        Assert.False(EpochBatchTree.Verify(tree.Root, claimed, tree.GetProof(3)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Verify_OneBitOfAProofEntryFlipped_IsFalse(int entry)
    {
        var leaves = EpochBatches.Random(7, 77);
        var tree = EpochBatchTree.Build(leaves);
        var proof = tree.GetProof(4).ToList();
        Assert.True(proof.Count > entry, $"leaf 4 of 7 has a proof of {proof.Count} entries");

        proof[entry][31] ^= 0x80;

        Assert.False(EpochBatchTree.Verify(tree.Root, leaves[4], proof));
    }

    [Fact]
    public void Verify_ProofWithoutItsLastEntry_IsFalse()
    {
        var leaves = EpochBatches.Random(16, 16);
        var tree = EpochBatchTree.Build(leaves);

        Assert.False(EpochBatchTree.Verify(tree.Root, leaves[5], tree.GetProof(5).SkipLast(1)));
    }

    [Fact]
    public void Verify_ProofEntryNot32Bytes_IsFalse()
    {
        var tree = EpochBatchTree.Build(DocumentedExample);
        var proof = tree.GetProof(0).Select(entry => entry[..31]);

        Assert.False(EpochBatchTree.Verify(tree.Root, DocumentedExample[0], proof));
    }

    [Fact]
    public void Verify_RootNot32Bytes_Throws()
    {
        var tree = EpochBatchTree.Build(DocumentedExample);

        Assert.Throws<ArgumentException>(() => EpochBatchTree.Verify(tree.Root[..31], DocumentedExample[0], tree.GetProof(0)));
    }

    [Fact]
    public void GetProof_ByLeafInAnotherAddressCase_IsTheProofOfItsIndex()
    {
        var leaves = EpochBatches.Random(7, 77);
        var tree = EpochBatchTree.Build(leaves);

        var proof = tree.GetProof(leaves[2] with { Operator = leaves[2].Operator.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal) });

        Assert.Equal(tree.GetProof(2), proof);
    }

    [Fact]
    public void GetProof_LeafWithOtherAmounts_ThrowsNotInTheBatch()
    {
        var tree = EpochBatchTree.Build(DocumentedExample);

        var error = Assert.Throws<ArgumentException>(() => tree.GetProof(DocumentedExample[1] with { Slash = 0 }));

        Assert.Contains("not a line of this batch", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void GetProof_IndexOutsideTheBatch_Throws(int index)
    {
        var tree = EpochBatchTree.Build(DocumentedExample);

        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(index));
    }

    [Fact]
    public void Root_ChangedByTheCaller_DoesNotChangeTheTree()
    {
        var tree = EpochBatchTree.Build(DocumentedExample);
        var before = tree.RootHex;

        tree.Root[0] ^= 0xFF;
        tree.GetProof(0)[0][0] ^= 0xFF;

        Assert.Equal(before, tree.RootHex);
        Assert.True(EpochBatchTree.Verify(tree.Root, DocumentedExample[0], tree.GetProof(0)));
    }

    private static byte[] Sorted(byte[] a, byte[] b) =>
        a.AsSpan().SequenceCompareTo(b.AsSpan()) <= 0 ? [.. a, .. b] : [.. b, .. a];
}
