using NexusOrleans.Protocol.Envelopes;

namespace NexusOrleans.Protocol.Tests.Envelopes;

public sealed class MessageIdTests
{
    private const string Hex = "c24102ba903ef3a6d94337f50c36a50ee590496b7fcca636f33a7d4b7834d9e5";

    [Fact]
    public void Parse_LowercaseHex_RoundTripsThroughToString()
    {
        Assert.Equal(Hex, MessageId.Parse(Hex).ToString());
    }

    [Fact]
    public void Parse_UppercaseHex_IsTheSameIdWrittenInLowercase()
    {
        var id = MessageId.Parse(Hex.ToUpperInvariant());

        Assert.Equal(MessageId.Parse(Hex), id);
        Assert.Equal(Hex, id.ToString());
    }

    [Theory]
    [InlineData("", "the value was empty")]
    [InlineData("abcd", "this one has 4")]
    [InlineData("zz4102ba903ef3a6d94337f50c36a50ee590496b7fcca636f33a7d4b7834d9e5", "other characters")]
    public void Parse_NotAnId_ThrowsFormatExceptionSayingWhy(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => MessageId.Parse(text));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(MessageId.TryParse(null, out _));
    }

    [Fact]
    public void FromBytes_WrongLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => MessageId.FromBytes(new byte[31]));
    }

    [Fact]
    public void Equality_IdsOfDifferentBytes_AreNotEqual()
    {
        var other = Hex[..^1] + "4";

        Assert.NotEqual(MessageId.Parse(Hex), MessageId.Parse(other));
        Assert.True(MessageId.Parse(Hex) != MessageId.Parse(other));
    }

    [Fact]
    public void HashSet_OfEqualIdsFromSeparateParses_HoldsOne()
    {
        var ids = new HashSet<MessageId> { MessageId.Parse(Hex), MessageId.Parse(Hex.ToUpperInvariant()), MessageId.FromBytes(Convert.FromHexString(Hex)) };

        Assert.Single(ids);
    }

    [Fact]
    public void Default_EqualsOnlyDefault_AndHasNoBytes()
    {
        Assert.Equal(default, default(MessageId));
        Assert.NotEqual(default, MessageId.Parse(Hex));
        Assert.Equal(string.Empty, default(MessageId).ToString());
        Assert.Throws<InvalidOperationException>(() => default(MessageId).Bytes.Length);
    }
}
