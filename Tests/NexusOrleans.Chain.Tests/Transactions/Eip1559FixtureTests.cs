using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NexusOrleans.Chain.Serialization;
using NexusOrleans.Chain.Transactions;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Chain.Tests.Transactions;

/// <summary>Every transaction of contracts/fixtures/eip1559-transactions.json (signed by ethers 6), reproduced byte for byte.</summary>
public sealed class Eip1559FixtureTests
{
    private static readonly Lazy<JsonElement[]> Vectors = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "eip1559-transactions.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("transactions").EnumerateArray().Select(t => t.Clone()).ToArray();
    });

    public static TheoryData<int> Indexes => new(Enumerable.Range(0, Vectors.Value.Length));

    [Fact]
    public void Fixtures_File_HoldsAtLeastAHundredTransactions() => Assert.True(Vectors.Value.Length >= 100, $"only {Vectors.Value.Length} vectors");

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Sign_FixtureTransaction_ReproducesEthersBytesAndHash(int index)
    {
        var vector = Vectors.Value[index];
        var transaction = new Eip1559Transaction(
            ulong.Parse(Text(vector, "chainId"), CultureInfo.InvariantCulture),
            ulong.Parse(Text(vector, "nonce"), CultureInfo.InvariantCulture),
            BigInteger.Parse(Text(vector, "maxPriorityFeePerGas"), CultureInfo.InvariantCulture),
            BigInteger.Parse(Text(vector, "maxFeePerGas"), CultureInfo.InvariantCulture),
            ulong.Parse(Text(vector, "gasLimit"), CultureInfo.InvariantCulture),
            vector.GetProperty("to").ValueKind == JsonValueKind.Null ? null : Text(vector, "to"),
            BigInteger.Parse(Text(vector, "value"), CultureInfo.InvariantCulture),
            Hex.Decode(Text(vector, "data")));
        using var wallet = EvmWallet.FromPrivateKey(Hex.Decode(Text(vector, "privateKey")));

        var signed = transaction.Sign(wallet.PrivateKey);

        Assert.Equal(Text(vector, "sender"), wallet.Address);
        Assert.Equal(Text(vector, "unsignedSerialized"), Hex.Encode(transaction.EncodeUnsigned()));
        Assert.Equal(Text(vector, "signingHash"), Hex.Encode(transaction.SigningHash()));
        Assert.Equal(Text(vector, "signedSerialized"), signed.RawHex);
        Assert.Equal(Text(vector, "hash"), signed.Hash);
        var decoded = Eip1559Transaction.DecodeSigned(signed.Raw);
        Assert.Equal(transaction.EncodeUnsigned(), decoded.EncodeUnsigned());
    }

    private static string Text(JsonElement vector, string name) => vector.GetProperty(name).GetString()!;
}
