using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Protocol.Tests.Wire;

/// <summary>The registration and unregistration messages are laid out byte for byte as docs/PROTOCOL.md says.</summary>
public sealed class RelayRegistrationMessageTests
{
    private const string Operator = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
    private const string RelayKey = "6a8a1a8fbf5f9186a336e1bc6b3748c495af17b612dce394880463df3a34eb2f";
    private static readonly DateTimeOffset IssuedAt = DateTimeOffset.FromUnixTimeMilliseconds(1767225600123);

    [Fact]
    public void Registration_IsLabelOperatorKeyIssuedAtEndpoint()
    {
        var message = RelayRegistrationMessage.Registration(Operator, RelayKey, IssuedAt, "wss://r.example/v1/ws");

        Assert.Equal(
            "6963686174 2d72656c61792d726567697374726174696f6e2d763100"
            + "9858effd232b4033e47d90003d41ec34ecaeda94"
            + RelayKey
            + "0000019b76daa87b"
            + Convert.ToHexStringLower("wss://r.example/v1/ws"u8),
            Split(message));
    }

    [Fact]
    public void Unregistration_IsLabelOperatorKeyIssuedAt()
    {
        var message = RelayRegistrationMessage.Unregistration(Operator, RelayKey, IssuedAt);

        Assert.Equal(
            "6963686174 2d72656c61792d756e726567697374726174696f6e2d763100"
            + "9858effd232b4033e47d90003d41ec34ecaeda94"
            + RelayKey
            + "0000019b76daa87b",
            Split(message));
    }

    [Fact]
    public void Registration_OperatorInAnyCase_GivesTheSameBytes()
    {
        Assert.Equal(
            RelayRegistrationMessage.Registration(Operator, RelayKey, IssuedAt, "ws://a/v1/ws"),
            RelayRegistrationMessage.Registration(Operator.ToLowerInvariant(), RelayKey.ToUpperInvariant(), IssuedAt, "ws://a/v1/ws"));
    }

    [Fact]
    public void Registration_SubMillisecondTicks_AreNotSigned()
    {
        Assert.Equal(
            RelayRegistrationMessage.Registration(Operator, RelayKey, IssuedAt, "ws://a/v1/ws"),
            RelayRegistrationMessage.Registration(Operator, RelayKey, IssuedAt.AddTicks(9_999), "ws://a/v1/ws"));
    }

    [Theory]
    [InlineData("9858EfFD232B4033E47d90003D41EC34EcaEda94", RelayKey)]
    [InlineData("0x9858EfFD", RelayKey)]
    [InlineData(Operator, "6a8a")]
    [InlineData(Operator, "zz8a1a8fbf5f9186a336e1bc6b3748c495af17b612dce394880463df3a34eb2f")]
    public void Registration_MalformedOperatorOrKey_Throws(string operatorAddress, string relayKey)
    {
        Assert.Throws<ArgumentException>(() => RelayRegistrationMessage.Registration(operatorAddress, relayKey, IssuedAt, "ws://a/v1/ws"));
    }

    [Fact]
    public void Registration_EndpointOverTheLimit_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => RelayRegistrationMessage.Registration(Operator, RelayKey, IssuedAt, "ws://" + new string('a', 600)));

        Assert.StartsWith("The endpoint must be 1 to 512 bytes of UTF-8", error.Message, StringComparison.Ordinal);
    }

    // The label's hex with the space removed, so the expected values above read as "ichat" + the rest.
    private static string Split(byte[] message) => Convert.ToHexStringLower(message).Insert(10, " ");
}
