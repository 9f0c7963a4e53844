using System.Text;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class Base58Tests
{
    [Theory]
    // From the base58 draft (draft-msporny-base58) and bitcoin's leading-zero convention.
    [InlineData("48656c6c6f20576f726c6421", "2NEpo7TZRRrLZSi2U")]
    [InlineData("54686520717569636b2062726f776e20666f78206a756d7073206f76657220746865206c617a7920646f672e", "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z")]
    [InlineData("0000287fb4cd", "11233QC4")]
    [InlineData("00", "1")]
    [InlineData("", "")]
    public void EncodeAndDecode_KnownValue_MatchBothWays(string hex, string text)
    {
        Assert.Equal(text, Base58.Encode(Convert.FromHexString(hex)));
        Assert.Equal(hex, Convert.ToHexStringLower(Base58.Decode(text)));
    }

    [Fact]
    public void Decode_CharacterOutsideTheAlphabet_ThrowsNamingItAndItsPosition()
    {
        var error = Assert.Throws<FormatException>(() => Base58.Decode("2NEpo7TZRRrLZSi2O"));
        Assert.Contains("Character 17 ('O') is not base58", error.Message, StringComparison.Ordinal);
        Assert.False(Base58.TryDecode("abc0", out _));
        Assert.False(Base58.TryDecode("é", out _));
    }

    [Fact]
    public void EncodeThenDecode_RandomBytesWithLeadingZeros_RoundTrips()
    {
        var random = new Random(7);
        for (var length = 0; length < 80; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            if (length > 2)
            {
                bytes[0] = 0;
                bytes[1] = 0;
            }

            Assert.Equal(bytes, Base58.Decode(Base58.Encode(bytes)));
        }

        Assert.Equal("Hello World!", Encoding.ASCII.GetString(Base58.Decode("2NEpo7TZRRrLZSi2U")));
    }
}
