using System.Text;
using System.Text.Json;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Tests.Envelopes;

namespace NexusOrleans.Protocol.Tests.Interop;

/// <summary>
/// Envelopes made here are verified and opened by the JavaScript implementation (libsodium-wrappers, @scure/bip39),
/// and the other way round, with fresh random nonces and the current time: agreement beyond the fixed vectors.
/// </summary>
public sealed class NodeInteropTests : IDisposable
{
    private static readonly EnvelopeVectors Vectors = EnvelopeVectors.Current;

    private readonly string _directory = Directory.CreateTempSubdirectory("nexus-interop-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task NodeFixtureCheck_CommittedVectorFile_PassesAndNamesTheVectorId()
    {
        var result = (await NodeInterop.RunAsync()).Succeeded();

        Assert.Contains(Vectors.File.Envelope.Id, result.StandardOutput);
    }

    [Fact]
    public async Task NodeVerify_FreshEnvelopeSealedInCSharp_DecryptsToTheSamePlaintextAndId()
    {
        using var sender = Vectors.SenderKeys();
        var text = $"from C# {Guid.NewGuid()} — ünïcödé, 你好, 👋";
        var envelope = Vectors.SealFresh(sender, text, DateTimeOffset.UtcNow);
        var file = WriteForNode(envelope.Encoded.Span, envelope.Id.ToString());

        var result = (await NodeInterop.RunAsync("--verify", file)).Succeeded();

        using var verified = JsonDocument.Parse(result.StandardOutput);
        var root = verified.RootElement;
        Assert.Equal(text, root.GetProperty("plaintextUtf8").GetString());
        Assert.Equal(envelope.Id.ToString(), root.GetProperty("id").GetString());
        Assert.Equal(sender.Identity.ToString(), root.GetProperty("sender").GetString());
        Assert.Equal(envelope.ExpiresAt.ToUnixTimeMilliseconds(), root.GetProperty("expiresAtMs").GetInt64());
    }

    [Fact]
    public async Task NodeVerify_CSharpEnvelopeChangedAfterSealing_RefusesWithBadSignature()
    {
        using var sender = Vectors.SenderKeys();
        var encoded = Vectors.SealFresh(sender, "changed on the way", DateTimeOffset.UtcNow).Encoded.ToArray();
        encoded[^65] ^= 0x01;
        var file = WriteForNode(encoded, id: null);

        var result = await NodeInterop.RunAsync("--verify", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("BadSignature", result.StandardError);
    }

    [Fact]
    public async Task CSharpOpen_FreshEnvelopeMadeByNode_GivesTheTextNodeSealedAndTheSameId()
    {
        var text = $"from Node {Guid.NewGuid()} — ünïcödé, 你好, 👋";
        var file = Path.Combine(_directory, "from-node.json");
        (await NodeInterop.RunAsync("--make", file, "--text", text)).Succeeded();
        using var made = JsonDocument.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        using var recipient = Vectors.RecipientKeys();

        var envelope = Envelope.Decode(Convert.FromHexString(made.RootElement.GetProperty("encoded").GetString()!));

        Assert.Equal(text, Encoding.UTF8.GetString(envelope.Open(recipient)));
        Assert.Equal(made.RootElement.GetProperty("id").GetString(), envelope.Id.ToString());
        Assert.Equal(Vectors.File.Identities.Sender.Identity, envelope.Sender.ToString());
        Assert.Equal(Envelope.MaxLifetime, envelope.Lifetime);
        Assert.InRange(envelope.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    private string WriteForNode(ReadOnlySpan<byte> encoded, string? id)
    {
        var path = Path.Combine(_directory, "from-csharp.json");
        var request = new Dictionary<string, object?>
        {
            ["encoded"] = Convert.ToHexStringLower(encoded),
            ["recipientMnemonic"] = Vectors.File.Inputs.Recipient.Mnemonic,
            ["recipientPassphrase"] = Vectors.File.Inputs.Recipient.Passphrase,
            ["recipientAccount"] = Vectors.File.Inputs.Recipient.Account,
        };
        if (id is not null)
        {
            request["id"] = id;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(request));
        return path;
    }
}
