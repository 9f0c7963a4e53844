using System.Net.WebSockets;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

public sealed class HandshakeTests : IAsyncLifetime
{
    private RelayCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await RelayCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Hello_IsSignedByTheRelayKeyOverTheChallenge()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0], authenticate: false);
        var hello = phone.Hello;

        Assert.Equal(FrameTypes.Hello, hello.Type);
        var relayKey = PublicKey.Parse(hello.Relay!.Key);
        var challenge = Convert.FromBase64String(hello.Challenge!);
        Assert.True(relayKey.Verify(Handshake.HelloMessage(challenge, relayKey.Bytes, hello.Relay.Endpoint), Convert.FromBase64String(hello.Signature!)));
        Assert.Equal(_cluster.Endpoints[0].ToString(), hello.Relay.Endpoint);
        Assert.StartsWith("0x", hello.Relay.Wallet);
    }

    [Fact]
    public async Task Auth_WithSignatureFromAnotherConnection_IsUnauthorized()
    {
        await using var first = await RawPhone.ConnectAsync(_cluster.Endpoints[0], authenticate: false);
        var replayed = first.SignChallenge();
        await using var second = await RawPhone.ConnectAsync(_cluster.Endpoints[0], first.Keys, authenticate: false);

        var answer = await second.RequestAsync(new WireFrame { Type = FrameTypes.Auth, Key = first.Keys.Identity.ToString(), Signature = Convert.ToBase64String(replayed) });

        Assert.Equal(ErrorCodes.Unauthorized, answer.Code);
        Assert.NotEqual(first.Hello.Challenge, second.Hello.Challenge);
    }

    [Fact]
    public async Task Auth_AfterAFailedAttempt_StillSucceedsOnTheSameConnection()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0], authenticate: false);
        var wrong = phone.Keys.Sign("not the challenge"u8);

        var failed = await phone.RequestAsync(new WireFrame { Type = FrameTypes.Auth, Key = phone.Keys.Identity.ToString(), Signature = Convert.ToBase64String(wrong) });
        var succeeded = await phone.RequestAsync(new WireFrame { Type = FrameTypes.Auth, Key = phone.Keys.Identity.ToString(), Signature = Convert.ToBase64String(phone.SignChallenge()) });

        Assert.Equal(ErrorCodes.Unauthorized, failed.Code);
        Assert.Equal(FrameTypes.Ok, succeeded.Type);
        Assert.Equal(phone.Keys.Identity.ToString(), succeeded.Identity);
    }

    [Fact]
    public async Task Auth_FailingThreeTimes_ClosesTheConnection()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0], authenticate: false);
        var wrong = Convert.ToBase64String(phone.Keys.Sign("wrong"u8));
        for (var i = 0; i < 3; i++)
        {
            var answer = await phone.RequestAsync(new WireFrame { Type = FrameTypes.Auth, Key = phone.Keys.Identity.ToString(), Signature = wrong });
            Assert.Equal(ErrorCodes.Unauthorized, answer.Code);
        }

        Assert.Null(await phone.ReceiveAsync());
        Assert.Equal((WebSocketCloseStatus)CloseCodes.AuthenticationFailed, phone.CloseStatus);
    }

    [Fact]
    public async Task Connection_WithoutAuthInTime_IsClosed()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0], authenticate: false);

        _cluster.Clock.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(await phone.ReceiveAsync());
        Assert.Equal((WebSocketCloseStatus)CloseCodes.AuthenticationTimeout, phone.CloseStatus);
    }

    [Fact]
    public async Task Send_BeforeAuth_IsUnauthorized()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0], authenticate: false);
        using var other = RawPhone.NewKeys();
        var envelope = Envelopes.Seal(phone.Keys, other.Identity, "hi", _cluster.Clock.GetUtcNow());

        var answer = await phone.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal(ErrorCodes.Unauthorized, answer.Code);
    }

    [Fact]
    public async Task PlainHttpRequest_ToTheEndpoint_GetsBadRequestWithAnExplanation()
    {
        using var http = new HttpClient();
        var url = new UriBuilder(_cluster.Endpoints[0]) { Scheme = "http" }.Uri;

        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
