using System.Numerics;
using System.Text;
using NexusOrleans.Chain.Serialization;

namespace NexusOrleans.Chain.Tests.Serialization;

/// <summary>The examples of the RLP page of the Ethereum wiki and the yellow paper, both ways.</summary>
public sealed class RlpTests
{
    [Fact]
    public void EncodeString_Dog_IsLengthPrefixed() =>
        Assert.Equal("83646f67", Convert.ToHexStringLower(Rlp.EncodeString("dog")));

    [Fact]
    public void EncodeList_CatDog_IsListPrefixed() =>
        Assert.Equal("c88363617483646f67", Convert.ToHexStringLower(Rlp.EncodeList(Rlp.EncodeString("cat"), Rlp.EncodeString("dog"))));

    [Fact]
    public void EncodeBytes_Empty_Is80() => Assert.Equal("80", Convert.ToHexStringLower(Rlp.EncodeBytes([])));

    [Fact]
    public void EncodeList_Empty_IsC0() => Assert.Equal("c0", Convert.ToHexStringLower(Rlp.EncodeList()));

    [Theory]
    [InlineData(0, "80")]
    [InlineData(15, "0f")]
    [InlineData(127, "7f")]
    [InlineData(128, "8180")]
    [InlineData(1024, "820400")]
    public void EncodeInteger_WikiExamples_AreMinimalBigEndian(long value, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Rlp.EncodeInteger(value)));

    [Fact]
    public void EncodeBytes_SingleZeroByte_IsItself() => Assert.Equal("00", Convert.ToHexStringLower(Rlp.EncodeBytes([0])));

    [Fact]
    public void EncodeList_SetTheoreticalThree_MatchesTheWiki()
    {
        var zero = Rlp.EncodeList();
        var one = Rlp.EncodeList(zero);
        var two = Rlp.EncodeList(zero, one);

        Assert.Equal("c7c0c1c0c3c0c1c0", Convert.ToHexStringLower(Rlp.EncodeList(zero, one, two)));
    }

    [Fact]
    public void EncodeString_56Bytes_UsesTheLongForm()
    {
        const string lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";

        var encoded = Rlp.EncodeString(lorem);

        Assert.Equal(56, lorem.Length);
        Assert.Equal("b838", Convert.ToHexStringLower(encoded[..2]));
        Assert.Equal(Encoding.ASCII.GetBytes(lorem), encoded[2..]);
    }

    [Fact]
    public void Decode_NestedListOfStrings_RoundTrips()
    {
        var encoded = Rlp.EncodeList(Rlp.EncodeString("cat"), Rlp.EncodeList(Rlp.EncodeString("dog"), Rlp.EncodeInteger(1024)), Rlp.EncodeBytes(new byte[300]));

        var item = Rlp.Decode(encoded);

        Assert.Equal("cat", Encoding.ASCII.GetString(item.Items[0].Bytes));
        Assert.Equal("dog", Encoding.ASCII.GetString(item.Items[1].Items[0].Bytes));
        Assert.Equal(new BigInteger(1024), item.Items[1].Items[1].ToInteger());
        Assert.Equal(300, item.Items[2].Bytes.Length);
    }

    [Fact]
    public void Decode_SetTheoreticalThree_GivesTheNestedLists()
    {
        var item = Rlp.Decode(Convert.FromHexString("c7c0c1c0c3c0c1c0"));

        Assert.Equal(3, item.Items.Count);
        Assert.Empty(item.Items[0].Items);
        Assert.Empty(Assert.Single(item.Items[1].Items).Items);
        Assert.Equal(2, item.Items[2].Items.Count);
    }

    [Theory]
    [InlineData("8100")] // a byte below 0x80 must be itself
    [InlineData("b80100")] // long form for a short string
    [InlineData("83646f")] // runs past the end
    [InlineData("80 80")] // trailing bytes
    public void Decode_NonCanonicalOrTruncated_Throws(string hex) =>
        Assert.Throws<FormatException>(() => Rlp.Decode(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))));
}
