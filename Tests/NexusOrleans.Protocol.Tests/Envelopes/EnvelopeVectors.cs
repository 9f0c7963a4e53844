using System.Text;
using System.Text.Json;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Tests.Support;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>
/// docs/vectors/envelope.json, read as other implementations read it. The identities' Ed25519 seeds were derived from
/// the mnemonics by the independent SLIP-0010 code in interop/interop.mjs, which checks them on every run.
/// </summary>
internal sealed class EnvelopeVectors
{
    public const string RelativePath = "docs/vectors/envelope.json";

    private static readonly Lazy<EnvelopeVectors> Instance = new(() => new EnvelopeVectors(Read()));

    private EnvelopeVectors(VectorFile file) => File = file;

    public static EnvelopeVectors Current => Instance.Value;

    public VectorFile File { get; }

    public ChatKeys SenderKeys() => ChatKeys.FromEd25519Seed(Convert.FromHexString(File.Identities.Sender.Ed25519Seed));

    public ChatKeys RecipientKeys() => ChatKeys.FromEd25519Seed(Convert.FromHexString(File.Identities.Recipient.Ed25519Seed));

    public PublicKey RecipientIdentity => PublicKey.Parse(File.Identities.Recipient.Identity);

    public byte[] Nonce => Convert.FromHexString(File.Inputs.Nonce);

    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeMilliseconds(File.Inputs.CreatedAtMs);

    public TimeSpan Lifetime => TimeSpan.FromMilliseconds(File.Inputs.LifetimeMs);

    public byte[] Plaintext => Encoding.UTF8.GetBytes(File.Inputs.PlaintextUtf8);

    public byte[] Encoded => Convert.FromHexString(File.Envelope.Encoded);

    public NegativeVector Negative(string name) => File.Negative.Single(vector => vector.Name == name);

    /// <summary>An envelope sealed from the vector sender to the vector recipient with a random nonce.</summary>
    public Envelope SealFresh(ChatKeys sender, string text, DateTimeOffset createdAt, TimeSpan? lifetime = null)
        => Envelope.Seal(sender, RecipientIdentity, Encoding.UTF8.GetBytes(text), createdAt, lifetime);

    private static VectorFile Read()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        var json = System.IO.File.ReadAllText(RepositoryRoot.Combine(RelativePath));
        return JsonSerializer.Deserialize<VectorFile>(json, options)
               ?? throw new InvalidDataException($"{RelativePath} holds no JSON object.");
    }
}

internal sealed record VectorFile(VectorInputs Inputs, VectorIdentities Identities, string SharedKey, VectorEnvelope Envelope, IReadOnlyList<NegativeVector> Negative);

internal sealed record VectorInputs(MnemonicInput Sender, MnemonicInput Recipient, string Nonce, long CreatedAtMs, long LifetimeMs, string PlaintextUtf8);

internal sealed record MnemonicInput(string Mnemonic, string Passphrase, int Account);

internal sealed record VectorIdentities(VectorIdentity Sender, VectorIdentity Recipient);

internal sealed record VectorIdentity(string Path, string Bip39Seed, string Ed25519Seed, string Identity, string DidKey, string X25519PublicKey, string X25519SecretKey);

internal sealed record VectorEnvelope(
    string CreatedAt,
    long ExpiresAtMs,
    string ExpiresAt,
    string PlaintextHex,
    int CiphertextLength,
    string Ciphertext,
    string SignedBytes,
    string Signature,
    int EncodedLength,
    string Encoded,
    string Id);

internal sealed record NegativeVector(
    string Name,
    string Description,
    string Stage,
    string Error,
    string Encoded,
    bool SignatureValid = false,
    int? MaxBytes = null,
    string? OpenWith = null)
{
    public EnvelopeError ExpectedError => Enum.Parse<EnvelopeError>(Error);

    public byte[] Bytes => Convert.FromHexString(Encoded);
}
