using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>Sealing: times, nonces, ids, size limit and the guards on every argument.</summary>
public sealed class EnvelopeSealTests : TwoParties
{
    [Fact]
    public void Seal_WithoutLifetime_ExpiresSixHoursAfterCreation()
    {
        var envelope = Envelope.Seal(Alice, Bob.Identity, [1], Now);

        Assert.Equal(Now, envelope.CreatedAt);
        Assert.Equal(Now + TimeSpan.FromHours(6), envelope.ExpiresAt);
    }

    [Fact]
    public void Seal_CreatedAtWithSubMillisecondTicks_RoundsDownToTheMillisecond()
    {
        var createdAt = Now + TimeSpan.FromTicks(9_999);

        var envelope = Envelope.Seal(Alice, Bob.Identity, [1], createdAt, TimeSpan.FromMinutes(1));

        Assert.Equal(Now, envelope.CreatedAt);
        Assert.Equal(Now + TimeSpan.FromMinutes(1), Envelope.Decode(envelope.Encoded).ExpiresAt);
    }

    [Fact]
    public void Seal_NonUtcCreatedAt_IsStoredAsTheSameInstantInUtc()
    {
        var createdAt = new DateTimeOffset(2026, 3, 1, 20, 0, 0, TimeSpan.FromHours(8));

        var envelope = Envelope.Decode(Envelope.Seal(Alice, Bob.Identity, [1], createdAt).Encoded);

        Assert.Equal(Now, envelope.CreatedAt);
        Assert.Equal(TimeSpan.Zero, envelope.CreatedAt.Offset);
    }

    [Fact]
    public void Seal_SameInputsAndNonceTwice_GivesTheSameBytesAndId()
    {
        var nonce = new byte[24];

        var first = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now, nonce: nonce);
        var second = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now, nonce: nonce);

        Assert.Equal(first.Encoded.ToArray(), second.Encoded.ToArray());
        Assert.Equal(first.Id, second.Id);
    }

    [Fact]
    public void Seal_SameInputsWithAnotherNonce_GivesAnotherId()
    {
        var nonce = new byte[24];
        var otherNonce = new byte[24];
        otherNonce[23] = 1;

        var first = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now, nonce: nonce);
        var second = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now, nonce: otherNonce);

        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void Seal_WithoutNonce_DrawsAFreshNonceEachTime()
    {
        var first = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now);
        var second = Envelope.Seal(Alice, Bob.Identity, [1, 2, 3], Now);

        Assert.NotEqual(first.Nonce.ToArray(), second.Nonce.ToArray());
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void Seal_PlaintextFillingTheLimitExactly_Fits()
    {
        var envelope = Envelope.Seal(Alice, Bob.Identity, new byte[Envelope.DefaultMaxBytes - Envelope.Overhead], Now);

        Assert.Equal(Envelope.DefaultMaxBytes, envelope.Encoded.Length);
        Assert.Equal(Envelope.DefaultMaxBytes, Envelope.Decode(envelope.Encoded).Encoded.Length);
    }

    [Fact]
    public void Seal_PlaintextOneByteOverTheLimit_ThrowsTooLarge()
    {
        var error = Assert.Throws<EnvelopeException>(
            () => Envelope.Seal(Alice, Bob.Identity, new byte[Envelope.DefaultMaxBytes - Envelope.Overhead + 1], Now));

        Assert.Equal(EnvelopeError.TooLarge, error.Error);
        Assert.Contains("65537-byte envelope", error.Message);
        Assert.Contains("at most 65347 bytes of plaintext", error.Message);
    }

    [Fact]
    public void Seal_ToOneself_OpensWithTheSameKeys()
    {
        var envelope = Envelope.Seal(Alice, Alice.Identity, [4, 2], Now);

        Assert.Equal(new byte[] { 4, 2 }, Envelope.Decode(envelope.Encoded).Open(Alice));
    }

    [Fact]
    public void Seal_EmptyPlaintext_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => Envelope.Seal(Alice, Bob.Identity, [], Now));

        Assert.Equal("plaintext", error.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(23)]
    [InlineData(25)]
    public void Seal_NonceOfWrongLength_ThrowsArgumentException(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => Envelope.Seal(Alice, Bob.Identity, [1], Now, nonce: new byte[length]));

        Assert.Contains($"not {length}", error.Message);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(9_999L)]
    [InlineData(216_000_000_001L)]
    public void Seal_LifetimeOutsideOneMillisecondToSixHours_ThrowsArgumentOutOfRange(long ticks)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Envelope.Seal(Alice, Bob.Identity, [1], Now, TimeSpan.FromTicks(ticks)));

        Assert.Equal("lifetime", error.ParamName);
    }

    [Fact]
    public void Seal_CreatedBeforeTheUnixEpoch_ThrowsArgumentOutOfRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Envelope.Seal(Alice, Bob.Identity, [1], DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));

        Assert.Equal("createdAt", error.ParamName);
    }

    [Fact]
    public void Seal_ExpiringAfterYear9999_ThrowsArgumentOutOfRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Envelope.Seal(Alice, Bob.Identity, [1], DateTimeOffset.MaxValue.AddHours(-1)));

        Assert.Equal("createdAt", error.ParamName);
    }

    [Fact]
    public void Seal_LimitBelowTheSmallestEnvelope_ThrowsArgumentOutOfRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Envelope.Seal(Alice, Bob.Identity, [1], Now, maxBytes: Envelope.MinEncodedBytes - 1));

        Assert.Equal("maxBytes", error.ParamName);
    }

    [Fact]
    public void Seal_RecipientThatIsNotAPoint_ThrowsArgumentException()
    {
        var notAPoint = PublicKey.FromBytes(new byte[32]);

        var error = Assert.Throws<ArgumentException>(() => Envelope.Seal(Alice, notAPoint, [1], Now));

        Assert.Equal("recipient", error.ParamName);
    }

    [Fact]
    public void Seal_WithDisposedSenderKeys_ThrowsObjectDisposed()
    {
        var keys = TestKeys.Random();
        keys.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Envelope.Seal(keys, Bob.Identity, [1], Now));
    }

    [Fact]
    public void ToString_OfAnEnvelope_NamesIdAndPartiesButNoContent()
    {
        var envelope = Envelope.Seal(Alice, Bob.Identity, "secret words"u8, Now);

        var text = envelope.ToString();

        Assert.Contains(envelope.Id.ToString(), text);
        Assert.Contains(Bob.Identity.ToString(), text);
        Assert.DoesNotContain(Convert.ToHexStringLower(envelope.Ciphertext.Span), text);
    }
}
