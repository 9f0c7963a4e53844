using System.Numerics;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Protocol.Tests.Settlement;

public sealed class AbiEncoderTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("18446744073709551616")] // 2^64
    [InlineData("340282366920938463463374607431768211455")] // 2^128 - 1
    public void WriteUInt256_UInt128AndBigIntegerOfTheSameValue_WriteTheSameWord(string value)
    {
        var fromUInt128 = new byte[32];
        var fromBigInteger = new byte[32];

        AbiEncoder.WriteUInt256(UInt128.Parse(value), fromUInt128);
        AbiEncoder.WriteUInt256(BigInteger.Parse(value), fromBigInteger);

        Assert.Equal(fromUInt128, fromBigInteger);
        Assert.Equal(BigInteger.Parse(value), new BigInteger(fromUInt128, isUnsigned: true, isBigEndian: true));
    }

    [Fact]
    public void WriteUInt256_LargestUInt256_IsAllOnes()
    {
        var word = new byte[32];

        AbiEncoder.WriteUInt256((BigInteger.One << 256) - 1, word);

        Assert.All(word, b => Assert.Equal(0xFF, b));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")] // 2^256
    public void WriteUInt256_OutsideUInt256_Throws(string value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AbiEncoder.WriteUInt256(BigInteger.Parse(value), new byte[32]));
    }

    [Fact]
    public void WriteAddress_TwentyBytes_IsLeftPaddedWithTwelveZeros()
    {
        var word = new byte[32];
        word.AsSpan().Fill(0xEE);

        AbiEncoder.WriteAddress(AbiEncoder.ParseAddress("0x9858EfFD232B4033E47d90003D41EC34EcaEda94"), word);

        Assert.Equal(new string('0', 24) + "9858effd232b4033e47d90003d41ec34ecaeda94", Convert.ToHexStringLower(word));
    }

    [Fact]
    public void WriteUInt256_WordNot32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => AbiEncoder.WriteUInt256(UInt128.One, new byte[31]));
    }
}
