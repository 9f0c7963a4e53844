using System.Numerics;
using NexusOrleans.Chain.Abi;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Serialization;

namespace NexusOrleans.Chain.Tests.Abi;

public sealed class AbiTests
{
    private static readonly ContractAbi Distributor = ContractArtifact.RewardDistributor.Abi;
    private static readonly ContractAbi Staking = ContractArtifact.RelayStaking.Abi;

    [Theory]
    [InlineData("transfer", "IChatToken", "a9059cbb")]
    [InlineData("balanceOf", "IChatToken", "70a08231")]
    [InlineData("approve", "IChatToken", "095ea7b3")]
    [InlineData("grantRole", "RelayStaking", "2f2ff15d")]
    [InlineData("hasRole", "RewardDistributor", "91d14854")]
    public void Selector_WellKnownFunctions_MatchTheirPublishedSelectors(string function, string contract, string selector)
    {
        var artifact = contract switch
        {
            "IChatToken" => ContractArtifact.IChatToken,
            "RelayStaking" => ContractArtifact.RelayStaking,
            _ => ContractArtifact.RewardDistributor,
        };

        Assert.Equal(selector, Convert.ToHexStringLower(artifact.Abi.Function(function).Selector));
    }

    [Fact]
    public void EncodeCall_Claim_LaysOutStaticHeadThenTheProofArray()
    {
        var proof = new[] { Enumerable.Repeat((byte)0xaa, 32).ToArray(), Enumerable.Repeat((byte)0xbb, 32).ToArray() };

        var data = Distributor.Function("claim").EncodeCall(5ul, "0x00000000000000000000000000000000000000Ff", (UInt128)7, 0, proof);

        var words = data[4..].Chunk(32).Select(Convert.ToHexStringLower).ToArray();
        Assert.Equal(Distributor.Function("claim").Selector, data[..4]);
        Assert.Equal("claim(uint256,address,uint256,uint256,bytes32[])", Distributor.Function("claim").Signature);
        Assert.Equal(8, words.Length);
        Assert.EndsWith("05", words[0], StringComparison.Ordinal);
        Assert.EndsWith("ff", words[1], StringComparison.Ordinal);
        Assert.EndsWith("07", words[2], StringComparison.Ordinal);
        Assert.Equal(new string('0', 64), words[3]);
        Assert.EndsWith("a0", words[4], StringComparison.Ordinal); // offset of the array: 5 head words
        Assert.EndsWith("02", words[5], StringComparison.Ordinal);
        Assert.Equal(new string('a', 64), words[6]);
        Assert.Equal(new string('b', 64), words[7]);
    }

    [Fact]
    public void Codec_AllSupportedTypes_RoundTrip()
    {
        var types = new[] { "uint256", "address", "bytes32", "bytes32[]", "bool", "uint64", "string", "bytes", "int256" }.Select(AbiType.Parse).ToArray();
        object[] values =
        [
            BigInteger.Pow(2, 256) - 1, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", new byte[32], new object[] { new byte[32] }, true,
            (BigInteger)ulong.MaxValue, "iChat ✓", new byte[] { 1, 2, 3 }, (BigInteger)(-5),
        ];

        var decoded = AbiCodec.Decode(types, AbiCodec.Encode(types, values));

        Assert.Equal(values[0], decoded[0]);
        Assert.Equal(values[1], decoded[1]);
        Assert.Equal((byte[])values[2], (byte[])decoded[2]);
        Assert.Equal(new byte[32], (byte[])((object[])decoded[3])[0]);
        Assert.Equal(true, decoded[4]);
        Assert.Equal(values[5], decoded[5]);
        Assert.Equal("iChat ✓", decoded[6]);
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[])decoded[7]);
        Assert.Equal(values[8], decoded[8]);
    }

    [Fact]
    public void Encode_ValueTooWideForItsType_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AbiCodec.Encode([AbiType.Parse("uint64")], [BigInteger.Pow(2, 64)]));

    [Fact]
    public void Decode_BoolWordOtherThanZeroOrOne_Throws()
    {
        var word = new byte[32];
        word[31] = 2;

        Assert.Throws<FormatException>(() => AbiCodec.Decode([AbiType.Parse("bool")], word));
    }

    [Fact]
    public void DecodeError_EpochAlreadyAnchored_ReadsAsNameAndArguments()
    {
        var data = Distributor.Errors.Single(e => e.Name == "EpochAlreadyAnchored").Encode(5);

        Assert.Equal("EpochAlreadyAnchored(epoch 5)", Distributor.DecodeError(data)?.ToString());
    }

    [Fact]
    public void DecodeError_ErrorStringAndPanic_AreAlwaysKnown()
    {
        Assert.Equal("Error(message nope)", Staking.DecodeError(AbiError.ErrorString.Encode("nope"))?.ToString());
        Assert.Equal("Panic(code 17)", Staking.DecodeError(AbiError.Panic.Encode(17))?.ToString());
        Assert.Null(Staking.DecodeError([1, 2, 3, 4]));
    }

    [Fact]
    public void DecodeLog_Anchored_TakesIndexedArgumentsFromTopicsAndTheRestFromData()
    {
        var anchored = Distributor.Event("Anchored");
        var root = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var log = new LogEntry(
            "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            [anchored.TopicHex, Hex.Encode(AbiCodec.EncodeWord(AbiType.Parse("uint256"), 9)), Hex.Encode(AbiCodec.EncodeWord(AbiType.Parse("address"), "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"))],
            root, 1, null, null, 0, false);

        var decoded = Assert.Single(Distributor.DecodeLogs([log]));

        Assert.Equal("Anchored(uint256,bytes32,address)", anchored.Signature);
        Assert.Equal($"Anchored(epoch 9, root {Hex.Encode(root)}, anchoredBy 0x70997970C51812dc3A010C7d01b50e0d17dc79C8)", decoded.ToString());
    }

    [Fact]
    public void DecodeLog_Slashed_ReadsTwoIndexedAndThreeDataArguments()
    {
        var slashed = Staking.Event("Slashed");
        var log = new LogEntry(
            "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            [slashed.TopicHex, Hex.Encode(AbiCodec.EncodeWord(AbiType.Parse("address"), "0x90F79bf6EB2c4f870365E785982E1f101E93b906")), Hex.Encode(AbiCodec.EncodeWord(AbiType.Parse("uint256"), 3))],
            AbiCodec.Encode([.. Enumerable.Repeat(AbiType.Parse("uint256"), 3)], [100, 60, 40]), 1, null, null, 0, false);

        var decoded = slashed.Decode(log);

        Assert.Equal("Slashed(operator 0x90F79bf6EB2c4f870365E785982E1f101E93b906, epoch 3, requested 100, fromActive 60, fromPending 40)", decoded.ToString());
    }

    [Fact]
    public void Parse_UnsupportedType_IsRefusedByName() =>
        Assert.Contains("tuple", Assert.Throws<NotSupportedException>(() => AbiType.Parse("tuple")).Message, StringComparison.Ordinal);
}
