using System.Text;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>
/// docs/vectors/envelope.json against the C# implementation: the same inputs must give the same bytes, and the file's
/// bytes must decode and open. The Node implementation checks the same file (interop/interop.mjs), so the two agree.
/// </summary>
public sealed class EnvelopeVectorTests
{
    private static readonly EnvelopeVectors Vectors = EnvelopeVectors.Current;

    public static TheoryData<string> DecodeNegatives => [.. Vectors.File.Negative.Where(v => v.Stage == "decode").Select(v => v.Name)];

    public static TheoryData<string> OpenNegatives => [.. Vectors.File.Negative.Where(v => v.Stage == "open").Select(v => v.Name)];

    public static TheoryData<string> ValidlySignedNegatives => [.. Vectors.File.Negative.Where(v => v.SignatureValid).Select(v => v.Name)];

    [Fact]
    public void FromEd25519Seed_VectorSeeds_GiveTheVectorIdentitiesAndEncryptionKeys()
    {
        using var sender = Vectors.SenderKeys();
        using var recipient = Vectors.RecipientKeys();

        Assert.Equal(Vectors.File.Identities.Sender.Identity, sender.Identity.ToString());
        Assert.Equal(Vectors.File.Identities.Recipient.Identity, recipient.Identity.ToString());
        Assert.Equal(Vectors.File.Identities.Sender.X25519PublicKey, EncryptionKeyHex(sender.Identity));
        Assert.Equal(Vectors.File.Identities.Recipient.X25519PublicKey, EncryptionKeyHex(recipient.Identity));
    }

    [Fact]
    public void TryGetSharedKey_VectorIdentities_GiveTheVectorSharedKeyFromBothSides()
    {
        using var sender = Vectors.SenderKeys();
        using var recipient = Vectors.RecipientKeys();
        var fromSender = new byte[32];
        var fromRecipient = new byte[32];

        Assert.True(sender.TryGetSharedKey(recipient.Identity, fromSender));
        Assert.True(recipient.TryGetSharedKey(sender.Identity, fromRecipient));

        Assert.Equal(Vectors.File.SharedKey, Convert.ToHexStringLower(fromSender));
        Assert.Equal(Vectors.File.SharedKey, Convert.ToHexStringLower(fromRecipient));
    }

    [Fact]
    public void Seal_VectorInputs_ReproducesTheFileByteForByte()
    {
        using var sender = Vectors.SenderKeys();

        var envelope = Envelope.Seal(sender, Vectors.RecipientIdentity, Vectors.Plaintext, Vectors.CreatedAt, Vectors.Lifetime, Vectors.Nonce);

        var expected = Vectors.File.Envelope;
        Assert.Equal(expected.Ciphertext, Convert.ToHexStringLower(envelope.Ciphertext.Span));
        Assert.Equal(expected.SignedBytes, Convert.ToHexStringLower(envelope.SignedBytes.Span));
        Assert.Equal(expected.Signature, Convert.ToHexStringLower(envelope.Signature.Span));
        Assert.Equal(expected.Encoded, Convert.ToHexStringLower(envelope.Encoded.Span));
        Assert.Equal(expected.Id, envelope.Id.ToString());
    }

    [Fact]
    public void Decode_VectorEnvelope_GivesTheFileFields()
    {
        var envelope = Envelope.Decode(Vectors.Encoded);

        var expected = Vectors.File.Envelope;
        Assert.Equal(Envelope.CurrentVersion, envelope.Version);
        Assert.Equal(expected.Id, envelope.Id.ToString());
        Assert.Equal(Vectors.File.Identities.Sender.Identity, envelope.Sender.ToString());
        Assert.Equal(Vectors.File.Identities.Recipient.Identity, envelope.Recipient.ToString());
        Assert.Equal(DateTimeOffset.Parse(expected.CreatedAt, System.Globalization.CultureInfo.InvariantCulture), envelope.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expected.ExpiresAtMs), envelope.ExpiresAt);
        Assert.Equal(Vectors.File.Inputs.Nonce, Convert.ToHexStringLower(envelope.Nonce.Span));
        Assert.Equal(expected.Ciphertext, Convert.ToHexStringLower(envelope.Ciphertext.Span));
        Assert.Equal(expected.Signature, Convert.ToHexStringLower(envelope.Signature.Span));
        Assert.Equal(expected.EncodedLength, envelope.Encoded.Length);
    }

    [Fact]
    public void Open_VectorEnvelopeWithRecipientKeys_GivesTheVectorPlaintext()
    {
        using var recipient = Vectors.RecipientKeys();

        var plaintext = Envelope.Decode(Vectors.Encoded).Open(recipient);

        Assert.Equal(Vectors.File.Envelope.PlaintextHex, Convert.ToHexStringLower(plaintext));
        Assert.Equal(Vectors.File.Inputs.PlaintextUtf8, Encoding.UTF8.GetString(plaintext));
    }

    [Theory]
    [MemberData(nameof(DecodeNegatives))]
    public void Decode_NegativeVector_RefusesWithTheNamedError(string name)
    {
        var vector = Vectors.Negative(name);

        var error = Assert.Throws<EnvelopeException>(() => Envelope.Decode(vector.Bytes, vector.MaxBytes ?? Envelope.DefaultMaxBytes));

        Assert.Equal(vector.ExpectedError, error.Error);
    }

    [Theory]
    [MemberData(nameof(OpenNegatives))]
    public void Open_NegativeVector_DecodesButRefusesWithTheNamedError(string name)
    {
        var vector = Vectors.Negative(name);
        using var keys = vector.OpenWith == "sender" ? Vectors.SenderKeys() : Vectors.RecipientKeys();
        var envelope = Envelope.Decode(vector.Bytes);

        var error = Assert.Throws<EnvelopeException>(() => envelope.Open(keys));

        Assert.Equal(vector.ExpectedError, error.Error);
    }

    /// <summary>Those vectors are refused for their content, not for a broken signature: the sender really signed them.</summary>
    [Theory]
    [MemberData(nameof(ValidlySignedNegatives))]
    public void NegativeVector_MarkedValidlySigned_CarriesTheSendersValidSignature(string name)
    {
        var bytes = Vectors.Negative(name).Bytes;
        var signedLength = bytes.Length - 64;
        var signed = "iChat-Envelope-v1"u8.ToArray().Concat(bytes[..signedLength]).ToArray();

        Assert.True(PublicKey.Parse(Vectors.File.Identities.Sender.Identity).Verify(signed, bytes[signedLength..]));
    }

    [Fact]
    public void NegativeVectors_CoverEveryEnvelopeError()
    {
        var covered = Vectors.File.Negative.Select(v => v.ExpectedError).ToHashSet();

        Assert.Equal(Enum.GetValues<EnvelopeError>().Order(), covered.Order());
    }

    private static string EncryptionKeyHex(PublicKey identity)
    {
        var key = new byte[32];
        Assert.True(identity.TryGetEncryptionKey(key));
        return Convert.ToHexStringLower(key);
    }
}
