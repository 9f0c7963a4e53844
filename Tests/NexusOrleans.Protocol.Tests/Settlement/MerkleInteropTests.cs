using System.Globalization;
using System.Text.Json;
using NexusOrleans.Protocol.Settlement;
using NexusOrleans.Protocol.Tests.Interop;

namespace NexusOrleans.Protocol.Tests.Settlement;

/// <summary>
/// The C# tree against the package the on-chain side is built with: interop/merkle.mjs builds each batch with
/// @openzeppelin/merkle-tree's StandardMerkleTree (a real node process), and the root, every leaf hash and every proof
/// must be the same bytes.
/// </summary>
public sealed class MerkleInteropTests : IDisposable
{
    private const string Script = "interop/merkle.mjs";

    private readonly string _directory = Directory.CreateTempSubdirectory("nexus-merkle-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1, 101)]
    [InlineData(2, 202)]
    [InlineData(3, 303)]
    [InlineData(7, 707)]
    [InlineData(16, 1616)]
    [InlineData(16, 1617)]
    public async Task Build_RandomBatch_SameRootLeafHashesAndProofsAsStandardMerkleTree(int count, int seed)
    {
        var leaves = EpochBatches.Random(count, seed);
        var tree = EpochBatchTree.Build(leaves);

        using var package = await BuildWithPackageAsync(leaves);

        var expected = package.RootElement;
        Assert.Equal(expected.GetProperty("root").GetString(), tree.RootHex);
        var leafHashes = expected.GetProperty("leafHashes").EnumerateArray().Select(hash => hash.GetString()).ToList();
        var proofs = expected.GetProperty("proofs").EnumerateArray().ToList();
        Assert.Equal(count, leafHashes.Count);
        Assert.Equal(count, proofs.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(leafHashes[i], Hex(leaves[i].Hash()));
            Assert.Equal(
                proofs[i].EnumerateArray().Select(hash => hash.GetString()!).ToList(),
                tree.GetProof(i).Select(Hex).ToList());
        }
    }

    [Fact]
    public async Task Build_DocumentedTwoLeafExample_PackageGivesTheDocumentedRoot()
    {
        using var package = await BuildWithPackageAsync(EpochBatchTreeTests.DocumentedExample);

        Assert.Equal(EpochBatchTreeTests.DocumentedExampleRoot, package.RootElement.GetProperty("root").GetString());
    }

    private async Task<JsonDocument> BuildWithPackageAsync(IReadOnlyList<EpochLeaf> leaves)
    {
        var file = Path.Combine(_directory, "leaves.json");
        var values = leaves.Select(leaf => new[]
        {
            leaf.Operator,
            leaf.Reward.ToString(CultureInfo.InvariantCulture),
            leaf.Slash.ToString(CultureInfo.InvariantCulture),
        });
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(values), TestContext.Current.CancellationToken);

        var result = (await NodeInterop.RunScriptAsync(Script, file)).Succeeded();
        return JsonDocument.Parse(result.StandardOutput);
    }

    private static string Hex(byte[] hash) => "0x" + Convert.ToHexStringLower(hash);
}
