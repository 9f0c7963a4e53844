using System.Net.WebSockets;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

/// <summary>Bad input and limits: each is answered with an error frame, and neither that connection nor any other breaks.</summary>
public sealed class RobustnessTests : IAsyncLifetime
{
    private RelayCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await RelayCluster.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Gateway:MaxEnvelopeBytes"] = "4096",
        ["Gateway:MaxFrameBytes"] = "8192",
        ["Inbox:MaxEnvelopes"] = "3",
    });

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task MalformedJson_IsAnsweredInvalidAndTheConnectionGoesOn()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        await phone.SendTextAsync("{\"type\":\"send\",");
        var error = await phone.NextAnswerAsync(null);
        var ping = await phone.RequestAsync(new WireFrame { Type = FrameTypes.Ping });

        Assert.Equal(ErrorCodes.Invalid, error.Code);
        Assert.Equal(FrameTypes.Ok, ping.Type);
    }

    [Theory]
    [InlineData("\"not base64!\"")]
    [InlineData("\"\"")]
    public async Task AnEnvelopeThatIsNotBase64_IsAnsweredInvalidByTheRequestsId(string envelope)
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        await phone.SendTextAsync($$"""{"type":"send","id":"b64","envelope":{{envelope}}}""");
        var error = await phone.NextAnswerAsync("b64");

        Assert.Equal(ErrorCodes.Invalid, error.Code);
        Assert.Contains("base64", error.Message);
    }

    [Fact]
    public async Task AnEnvelopeThatIsNotAString_IsAnsweredInvalid()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        await phone.SendTextAsync("""{"type":"send","id":"n","envelope":17}""");

        Assert.Equal(ErrorCodes.Invalid, (await phone.NextAnswerAsync(null)).Code);
        Assert.Equal(FrameTypes.Ok, (await phone.RequestAsync(new WireFrame { Type = FrameTypes.Ping })).Type);
    }

    [Fact]
    public async Task UnknownFrameType_IsAnsweredUnknownType()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        var answer = await phone.RequestAsync(new WireFrame { Type = "subscribe-to-everything" });

        Assert.Equal(ErrorCodes.UnknownType, answer.Code);
        Assert.Equal(FrameTypes.Ok, (await phone.RequestAsync(new WireFrame { Type = FrameTypes.Ping })).Type);
    }

    [Fact]
    public async Task BinaryFrame_IsAnsweredInvalid()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        await phone.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);

        Assert.Equal(ErrorCodes.Invalid, (await phone.NextAnswerAsync(null)).Code);
    }

    [Fact]
    public async Task TamperedCiphertext_IsInvalidAndNothingIsDelivered()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        var envelope = Envelopes.Seal(alice.Keys, bob.Keys.Identity, "original", _cluster.Clock.GetUtcNow());
        var tampered = envelope.Encoded.ToArray();
        tampered[tampered.Length - 64 - 1] ^= 0x01; // the last ciphertext byte, just before the signature

        var answer = await alice.RequestAsync(Envelopes.SendFrame(tampered));
        var page = await bob.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = 0 });

        Assert.Equal(ErrorCodes.Invalid, answer.Code);
        Assert.Empty(page.Envelopes!);
    }

    [Fact]
    public async Task TamperedSignature_IsInvalid()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        using var bob = RawPhone.NewKeys();
        var tampered = Envelopes.Seal(alice.Keys, bob.Identity, "original", _cluster.Clock.GetUtcNow()).Encoded.ToArray();
        tampered[^1] ^= 0x80;

        var answer = await alice.RequestAsync(Envelopes.SendFrame(tampered));

        Assert.Equal(ErrorCodes.Invalid, answer.Code);
    }

    [Fact]
    public async Task OversizeFrame_IsTooLargeAndOtherClientsAreUnaffected()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var carol = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        await alice.SendTextAsync("{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"" + new string('x', 20_000) + "\"}");
        var tooLarge = await alice.NextAnswerAsync(null);
        var envelope = Envelopes.Seal(bob.Keys, carol.Keys.Identity, "still working", _cluster.Clock.GetUtcNow());
        var sent = await bob.RequestAsync(Envelopes.SendFrame(envelope));
        var delivered = await carol.NextDeliveryAsync();
        var aliceStillThere = await alice.RequestAsync(new WireFrame { Type = FrameTypes.Ping });

        Assert.Equal(ErrorCodes.TooLarge, tooLarge.Code);
        Assert.Equal(FrameTypes.Ok, sent.Type);
        Assert.Equal("still working", Envelopes.OpenText(delivered, carol.Keys));
        Assert.Equal(FrameTypes.Ok, aliceStillThere.Type);
    }

    [Fact]
    public async Task OversizeEnvelope_IsTooLarge()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        using var bob = RawPhone.NewKeys();
        var envelope = NexusOrleans.Protocol.Envelopes.Envelope.Seal(alice.Keys, bob.Identity, new byte[5000], _cluster.Clock.GetUtcNow(), maxBytes: 16384);

        var answer = await alice.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal(ErrorCodes.TooLarge, answer.Code);
    }

    [Fact]
    public async Task FullInbox_RefusesTheSenderAndKeepsWhatItHolds()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        for (var i = 0; i < 3; i++)
        {
            var kept = Envelopes.Seal(alice.Keys, bob.Keys.Identity, $"kept {i}", _cluster.Clock.GetUtcNow());
            Assert.Equal(FrameTypes.Ok, (await alice.RequestAsync(Envelopes.SendFrame(kept))).Type);
        }

        var refused = await alice.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Keys.Identity, "one too many", _cluster.Clock.GetUtcNow())));
        var page = await bob.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = 0 });

        Assert.Equal(ErrorCodes.InboxFull, refused.Code);
        Assert.Equal(3, page.Envelopes!.Length);
    }
}
