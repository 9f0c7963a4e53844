using FsCheck;
using FsCheck.Fluent;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>Invariants of the envelope format over random plaintexts, times, and corruptions.</summary>
public sealed class EnvelopeProperties : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);
    private static readonly Gen<byte> Bytes = Gen.Choose(0, 255).Select(b => (byte)b);

    private readonly ChatKeys _sender = TestKeys.Random();
    private readonly ChatKeys _recipient = TestKeys.Random();

    /// <summary>A plaintext of 1 to 400 bytes, a creation time within ~3 years of the epoch, and a lifetime of 1 ms to 6 h.</summary>
    private static readonly Gen<(byte[] Plaintext, long CreatedOffsetMs, int LifetimeMs)> Messages =
        from length in Gen.Choose(1, 400)
        from plaintext in Gen.ArrayOf(Bytes, length)
        from createdOffsetMs in Gen.Choose(0, int.MaxValue).Select(v => (long)v * 50)
        from lifetimeMs in Gen.Choose(1, 21_600_000)
        select (plaintext, createdOffsetMs, lifetimeMs);

    public void Dispose()
    {
        _sender.Dispose();
        _recipient.Dispose();
    }

    [Fact]
    public void SealThenDecodeAndOpen_AnyPlaintextAndLifetime_GivesBackThePlaintextTimesAndId()
        => Check.One(Runs, Prop.ForAll(Messages.ToArbitrary(), message =>
        {
            var createdAt = Epoch.AddMilliseconds(message.CreatedOffsetMs);
            var lifetime = TimeSpan.FromMilliseconds(message.LifetimeMs);
            var sealedEnvelope = Envelope.Seal(_sender, _recipient.Identity, message.Plaintext, createdAt, lifetime);

            var received = Envelope.Decode(sealedEnvelope.Encoded);

            return received.Open(_recipient).AsSpan().SequenceEqual(message.Plaintext)
                   && received.Id == sealedEnvelope.Id
                   && received.CreatedAt == createdAt
                   && received.ExpiresAt == createdAt + lifetime
                   && received.Encoded.Length == Envelope.Overhead + message.Plaintext.Length;
        }));

    /// <summary>
    /// Changing any one byte, in any way, is always detected by Decode itself: the signature covers every byte before
    /// it, and libsodium accepts exactly one encoding of a signature. So no single-byte corruption on the way ever turns
    /// into a different message, nor even reaches Open.
    /// </summary>
    [Fact]
    public void Decode_AnySingleByteOfAnEnvelopeChanged_Fails()
    {
        var corruptions =
            from message in Messages
            from position in Gen.Choose(0, Envelope.Overhead + message.Plaintext.Length - 1)
            from mask in Gen.Choose(1, 255)
            select (Plaintext: message.Plaintext, Position: position, Mask: (byte)mask);

        Check.One(Runs, Prop.ForAll(corruptions.ToArbitrary(), corruption =>
        {
            var encoded = Envelope.Seal(_sender, _recipient.Identity, corruption.Plaintext, Epoch).Encoded.ToArray();
            encoded[corruption.Position] ^= corruption.Mask;

            return !Envelope.TryDecode(encoded, Envelope.DefaultMaxBytes, out _, out _);
        }));
    }

    /// <summary>The same over every byte of the vector envelope with every one-bit change, exhaustively.</summary>
    [Fact]
    public void Decode_VectorEnvelopeWithAnyOneBitFlipped_Fails()
    {
        var original = EnvelopeVectors.Current.Encoded;
        for (var position = 0; position < original.Length; position++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var encoded = original.ToArray();
                encoded[position] ^= (byte)(1 << bit);
                Assert.False(Envelope.TryDecode(encoded, Envelope.DefaultMaxBytes, out _, out _), $"Flipping bit {bit} of byte {position} was accepted.");
            }
        }
    }

    /// <summary>What a relay meets on an open socket: arbitrary bytes give an EnvelopeException, never another exception.</summary>
    [Fact]
    public void TryDecode_ArbitraryBytesShapedLikeAnEnvelope_RefusesWithoutThrowing()
    {
        var shaped =
            from length in Gen.Choose(0, 600)
            from bytes in Gen.ArrayOf(Bytes, length)
            from version in Gen.Elements<byte>(1, 1, 1, 0, 2)
            from fixLength in Gen.Elements(true, false)
            select Shape(bytes, version, fixLength);

        Check.One(Runs, Prop.ForAll(shaped.ToArbitrary(), encoded =>
            !Envelope.TryDecode(encoded, Envelope.DefaultMaxBytes, out _, out var error) && error is not null));
    }

    private static byte[] Shape(byte[] bytes, byte version, bool fixLength)
    {
        if (bytes.Length > 0)
        {
            bytes[0] = version;
        }

        if (fixLength && bytes.Length >= Envelope.MinEncodedBytes)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(105), (uint)(bytes.Length - 173));
        }

        return bytes;
    }
}
