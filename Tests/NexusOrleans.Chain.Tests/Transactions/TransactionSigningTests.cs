using System.Numerics;
using NexusOrleans.Chain.Serialization;
using NexusOrleans.Chain.Transactions;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Chain.Tests.Transactions;

public sealed class TransactionSigningTests
{
    private static readonly byte[] Eip155Key = Convert.FromHexString(string.Concat(Enumerable.Repeat("46", 32)));

    private static LegacyTransaction Eip155Example => new(
        ChainId: 1, Nonce: 9, GasPrice: 20_000_000_000, GasLimit: 21_000, To: "0x" + string.Concat(Enumerable.Repeat("35", 20)),
        Value: BigInteger.Pow(10, 18), Data: []);

    [Fact]
    public void LegacySigningHash_Eip155Example_MatchesTheEip()
    {
        Assert.Equal("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080", Hex.Encode(Eip155Example.EncodeForSigning()));
        Assert.Equal("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(Eip155Example.SigningHash()));
    }

    [Fact]
    public void LegacySign_Eip155Example_GivesTheSignedTransactionOfTheEip()
    {
        var signed = Eip155Example.Sign(Eip155Key);

        Assert.Equal(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            signed.RawHex);
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000001", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    [InlineData("0x4646464646464646464646464646464646464646464646464646464646464646", "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")]
    [InlineData("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    [InlineData("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    public void Address_KnownPrivateKey_IsTheKnownAddress(string privateKey, string address)
    {
        using var wallet = EvmWallet.FromPrivateKey(Hex.Decode(privateKey));

        Assert.Equal(address, wallet.Address);
    }

    [Fact]
    public void Eip1559Sign_ThenRecover_GivesTheSenderAndReadsBack()
    {
        using var wallet = EvmWallet.FromPrivateKey(Eip155Key);
        var transaction = new Eip1559Transaction(31337, 3, 1_000_000_000, 3_000_000_000, 100_000, null, 0, [0x60, 0x00]);

        var signed = transaction.Sign(wallet.PrivateKey);

        var fields = Rlp.Decode(signed.Raw.AsSpan(1)).Items;
        var yParity = (int)fields[9].ToInteger();
        var signature = new byte[65];
        fields[10].ToInteger().TryWriteBytes(signature.AsSpan(32 - fields[10].Bytes.Length, fields[10].Bytes.Length), out _, isUnsigned: true, isBigEndian: true);
        fields[11].ToInteger().TryWriteBytes(signature.AsSpan(64 - fields[11].Bytes.Length, fields[11].Bytes.Length), out _, isUnsigned: true, isBigEndian: true);
        signature[64] = (byte)(27 + yParity);
        Assert.Equal(wallet.Address, EvmSignatures.RecoverSigner(transaction.SigningHash(), signature));
        Assert.Equal(transaction.EncodeUnsigned(), Eip1559Transaction.DecodeSigned(signed.Raw).EncodeUnsigned());
    }
}
