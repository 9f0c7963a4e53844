using System.Buffers.Binary;
using System.Text;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>Decoding and opening, one validation rule per test; offsets are those of docs/PROTOCOL.md.</summary>
public sealed class EnvelopeDecodeTests : TwoParties
{
    private const int CiphertextLengthOffset = 105;
    private const int CiphertextOffset = 109;

    [Fact]
    public void Seal_ThenDecodeAndOpen_GivesThePlaintextBack()
    {
        var plaintext = Encoding.UTF8.GetBytes("meet at noon");

        var sealedEnvelope = Envelope.Seal(Alice, Bob.Identity, plaintext, Now);
        var received = Envelope.Decode(sealedEnvelope.Encoded);

        Assert.Equal(plaintext, received.Open(Bob));
        Assert.Equal(sealedEnvelope.Id, received.Id);
        Assert.Equal(Alice.Identity, received.Sender);
        Assert.Equal(Bob.Identity, received.Recipient);
    }

    [Fact]
    public void Decode_SameBytesTwice_GivesTheSameId()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [7], Now).Encoded.ToArray();

        Assert.Equal(Envelope.Decode(encoded).Id, Envelope.Decode(encoded.ToArray()).Id);
    }

    [Fact]
    public void Decode_CallerReusesItsBuffer_EnvelopeKeepsTheBytesItWasDecodedFrom()
    {
        var buffer = Envelope.Seal(Alice, Bob.Identity, [7, 8, 9], Now).Encoded.ToArray();
        var envelope = Envelope.Decode(buffer);

        Array.Fill(buffer, (byte)0);

        Assert.Equal(new byte[] { 7, 8, 9 }, envelope.Open(Bob));
    }

    [Fact]
    public void Decode_OverTheConfiguredLimit_ThrowsTooLarge()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, new byte[1000], Now).Encoded;

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded, maxBytes: 1000));

        Assert.Equal(EnvelopeError.TooLarge, error.Error);
        Assert.Equal("The envelope is 1189 bytes; the limit is 1000.", error.Message);
    }

    [Fact]
    public void Decode_BufferOverTheDefaultLimit_ThrowsTooLargeBeforeReadingIt()
    {
        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(new byte[Envelope.DefaultMaxBytes + 1]));

        Assert.Equal(EnvelopeError.TooLarge, error.Error);
    }

    [Fact]
    public void Decode_Empty_ThrowsMalformed()
    {
        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(ReadOnlyMemory<byte>.Empty));

        Assert.Equal(EnvelopeError.Malformed, error.Error);
        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Decode_VersionOtherThanOne_ThrowsUnsupportedVersion(byte version)
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded.ToArray();
        encoded[0] = version;

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.UnsupportedVersion, error.Error);
        Assert.Contains($"version {version}", error.Message);
    }

    [Fact]
    public void Decode_EveryProperPrefix_ThrowsMalformed()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now).Encoded;

        for (var length = 1; length < encoded.Length; length++)
        {
            var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded[..length]));
            Assert.True(error.Error == EnvelopeError.Malformed, $"A {length}-byte prefix gave {error.Error}: {error.Message}");
        }
    }

    [Fact]
    public void Decode_TrailingByteAfterTheSignature_ThrowsMalformed()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded.ToArray();

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded.Append((byte)0).ToArray()));

        Assert.Equal(EnvelopeError.Malformed, error.Error);
        Assert.Contains("1 trailing byte(s)", error.Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(16u)]
    public void Decode_CiphertextLengthBelowMacPlusOneByte_ThrowsMalformed(uint declared)
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(CiphertextLengthOffset), declared);

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.Malformed, error.Error);
        Assert.Contains($"declares a {declared}-byte ciphertext", error.Message);
    }

    [Fact]
    public void Decode_CiphertextLengthBeyondTheBuffer_ThrowsMalformed()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(CiphertextLengthOffset), uint.MaxValue);

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.Malformed, error.Error);
        Assert.Contains("cut short", error.Message);
    }

    [Fact]
    public void Decode_RecipientKeyThatIsNotAPoint_ThrowsMalformed()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded.ToArray();
        Array.Clear(encoded, 33, 32);

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.Malformed, error.Error);
        Assert.Contains("recipient key " + new string('0', 64), error.Message);
    }

    [Fact]
    public void Decode_LifetimeOfExactlySixHours_IsAccepted()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now, Envelope.MaxLifetime).Encoded;

        Assert.Equal(Envelope.MaxLifetime, Envelope.Decode(encoded).Lifetime);
    }

    [Fact]
    public void Decode_ExpiresBeforeCreated_ThrowsBadLifetime()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded.ToArray();
        BinaryPrimitives.WriteUInt64BigEndian(encoded.AsSpan(73), (ulong)(Now.ToUnixTimeMilliseconds() - 1));

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.BadLifetime, error.Error);
        Assert.Equal("The envelope expires at 2026-03-01T11:59:59.999Z, which is not after its creation at 2026-03-01T12:00:00.000Z.", error.Message);
    }

    [Fact]
    public void Decode_LifetimeOneMillisecondOverSixHours_ThrowsBadLifetime()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded.ToArray();
        BinaryPrimitives.WriteUInt64BigEndian(encoded.AsSpan(73), (ulong)(Now.ToUnixTimeMilliseconds() + 21_600_001));

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.BadLifetime, error.Error);
        Assert.Contains("lives 21600001 ms", error.Message);
    }

    [Fact]
    public void Decode_TimesPastYear9999_ThrowsBadLifetime()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded.ToArray();
        BinaryPrimitives.WriteUInt64BigEndian(encoded.AsSpan(65), ulong.MaxValue - 1);
        BinaryPrimitives.WriteUInt64BigEndian(encoded.AsSpan(73), ulong.MaxValue);

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.BadLifetime, error.Error);
    }

    [Fact]
    public void Decode_CiphertextChangedAfterSigning_ThrowsBadSignature()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now).Encoded.ToArray();
        encoded[CiphertextOffset] ^= 0x01;

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.BadSignature, error.Error);
        Assert.Contains(Alice.Identity.ToString(), error.Message);
    }

    [Fact]
    public void Decode_SenderFieldReplacedByAnotherIdentity_ThrowsBadSignature()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now).Encoded.ToArray();
        TestKeys.RandomIdentity().Bytes.CopyTo(encoded.AsSpan(1));

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(encoded));

        Assert.Equal(EnvelopeError.BadSignature, error.Error);
    }

    [Fact]
    public void TryDecode_BadBytes_ReturnsFalseWithTheErrorInsteadOfThrowing()
    {
        var accepted = Envelope.TryDecode(new byte[] { 9 }, Envelope.DefaultMaxBytes, out var envelope, out var error);

        Assert.False(accepted);
        Assert.Null(envelope);
        Assert.Equal(EnvelopeError.UnsupportedVersion, error!.Error);
    }

    [Fact]
    public void TryDecode_GoodBytes_ReturnsTheEnvelopeAndNoError()
    {
        var encoded = Envelope.Seal(Alice, Bob.Identity, [1], Now).Encoded;

        var accepted = Envelope.TryDecode(encoded, Envelope.DefaultMaxBytes, out var envelope, out var error);

        Assert.True(accepted);
        Assert.Null(error);
        Assert.Equal(encoded.ToArray(), envelope!.Encoded.ToArray());
    }

    [Fact]
    public void Open_WithKeysOfAnotherIdentity_ThrowsWrongRecipient()
    {
        var envelope = Envelope.Seal(Alice, Bob.Identity, [1], Now);
        using var carol = TestKeys.Random();

        var error = Assert.Throws<EnvelopeException>(() => envelope.Open(carol));

        Assert.Equal(EnvelopeError.WrongRecipient, error.Error);
        Assert.Equal($"The envelope is addressed to {Bob.Identity}, not to {carol.Identity}.", error.Message);
    }

    [Fact]
    public void Open_BySenderOfItsOwnEnvelope_ThrowsWrongRecipient()
    {
        var envelope = Envelope.Seal(Alice, Bob.Identity, [1], Now);

        Assert.Equal(EnvelopeError.WrongRecipient, Assert.Throws<EnvelopeException>(() => envelope.Open(Alice)).Error);
    }
}
