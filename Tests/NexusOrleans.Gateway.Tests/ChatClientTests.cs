using NexusOrleans.Client;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Testing;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Gateway.Tests;

/// <summary>The client library against five real gateways in front of one silo.</summary>
public sealed class ChatClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private RelayCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await RelayCluster.StartAsync(gateways: 5);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Send_ThroughFiveGateways_IsStoredOnceDeliveredOncePerConnectionAndShownOnce()
    {
        await using var alice = await ConnectAsync(Bip39.Generate());
        using var bobKeys = ChatKeys.FromMnemonic(Bip39.Generate());
        await using var bobPhones = await ConnectRawEverywhereAsync(bobKeys);

        var sent = await alice.SendTextAsync(bobKeys.Identity, "five ways, once", TestContext.Current.CancellationToken);

        Assert.Equal(5, sent.AcceptedBy.Count);
        var page = await _cluster.Grains.GetGrain<IInboxGrain>(bobKeys.Identity.ToString()).Fetch(0, 100);
        Assert.Single(page.Envelopes);
        foreach (var phone in bobPhones.Phones)
        {
            Assert.Equal("five ways, once", Envelopes.OpenText(await phone.NextDeliveryAsync(), bobKeys));
        }

        var extra = await bobPhones.Phones[0].RequestAsync(new NexusOrleans.Protocol.Wire.WireFrame { Type = NexusOrleans.Protocol.Wire.FrameTypes.Ping });
        Assert.Empty(bobPhones.Phones[0].Deliveries);
        Assert.Equal(NexusOrleans.Protocol.Wire.FrameTypes.Ok, extra.Type);
    }

    [Fact]
    public async Task Receive_ThroughFiveGateways_GivesTheApplicationOneMessage()
    {
        var bobMnemonic = Bip39.Generate();
        await using var alice = await ConnectAsync(Bip39.Generate());
        await using var bob = await ConnectAsync(bobMnemonic);
        Assert.Equal(5, bob.ConnectedRelays.Count);

        var sent = await alice.SendTextAsync(bob.Identity, "only once please", TestContext.Current.CancellationToken);
        var received = await bob.Messages.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);
        await alice.SendTextAsync(bob.Identity, "marker", TestContext.Current.CancellationToken);
        var marker = await bob.Messages.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(sent.Id, received.Id);
        Assert.Equal("only once please", received.Text);
        Assert.Equal(alice.Identity, received.Sender);
        Assert.Equal("marker", marker.Text);
    }

    [Fact]
    public async Task Ack_ThroughTheClient_BurnsTheMessageForEveryGateway()
    {
        await using var alice = await ConnectAsync(Bip39.Generate());
        var bobMnemonic = Bip39.Generate();
        await using var bob = await ConnectAsync(bobMnemonic);
        await alice.SendTextAsync(bob.Identity, "burn me", TestContext.Current.CancellationToken);
        var received = await bob.Messages.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);

        await bob.AckAsync(received.Id, TestContext.Current.CancellationToken);

        using var bobKeys = ChatKeys.FromMnemonic(bobMnemonic);
        await using var bobPhones = await ConnectRawEverywhereAsync(bobKeys);
        foreach (var phone in bobPhones.Phones)
        {
            var page = await phone.RequestAsync(new NexusOrleans.Protocol.Wire.WireFrame { Type = NexusOrleans.Protocol.Wire.FrameTypes.Fetch, After = 0 });
            Assert.Empty(page.Envelopes!);
        }
    }

    [Fact]
    public async Task RelaysFrame_ListsThisRelayFirstThenItsPeersWithTheirKeys()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[2]);

        var answer = await phone.RequestAsync(new NexusOrleans.Protocol.Wire.WireFrame { Type = NexusOrleans.Protocol.Wire.FrameTypes.Relays });

        Assert.Equal(5, answer.Relays!.Length);
        Assert.Equal((_cluster.RelayKeys[2], _cluster.Endpoints[2].ToString()), (answer.Relays[0].Key, answer.Relays[0].Endpoint));
        Assert.Equal(
            _cluster.RelayKeys.Zip(_cluster.Endpoints, (key, endpoint) => (key, endpoint.ToString())).Order(),
            answer.Relays.Select(relay => (relay.Key, relay.Endpoint)).Order());
    }

    [Fact]
    public async Task Connect_WithOneRelayGiven_FindsTheOthersThroughItsRelayList()
    {
        using var keys = ChatKeys.FromMnemonic(Bip39.Generate());

        await using var client = await ChatClient.ConnectAsync(keys, [_cluster.Endpoints[0]], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(_cluster.Endpoints.OrderBy(uri => uri.Port), client.ConnectedRelays.OrderBy(uri => uri.Port));
    }

    [Fact]
    public async Task Send_WithNoLiveConnection_FailsAtOnce()
    {
        var relay = await RelayCluster.StartAsync();
        using var aliceKeys = ChatKeys.FromMnemonic(Bip39.Generate());
        using var bob = ChatKeys.FromMnemonic(Bip39.Generate());
        await using var alice = await ChatClient.ConnectAsync(aliceKeys, relay.Endpoints, cancellationToken: TestContext.Current.CancellationToken);

        await relay.DisposeAsync();
        await Poll.UntilAsync(() => alice.ConnectedRelays.Count == 0, "the client saw its relay go");

        await Assert.ThrowsAsync<NotConnectedException>(() => alice.SendTextAsync(bob.Identity, "nobody to take it", TestContext.Current.CancellationToken));
    }

    private async Task<ChatClient> ConnectAsync(string mnemonic) =>
        await ChatClient.ConnectAsync(ChatKeys.FromMnemonic(mnemonic), _cluster.Endpoints, new ChatClientOptions { TimeProvider = _cluster.Clock }, TestContext.Current.CancellationToken);

    private async Task<PhoneSet> ConnectRawEverywhereAsync(ChatKeys keys)
    {
        var phones = new List<RawPhone>();
        foreach (var endpoint in _cluster.Endpoints)
        {
            phones.Add(await RawPhone.ConnectAsync(endpoint, keys));
        }

        return new PhoneSet(phones);
    }

    private sealed class PhoneSet(List<RawPhone> phones) : IAsyncDisposable
    {
        public List<RawPhone> Phones { get; } = phones;

        public async ValueTask DisposeAsync()
        {
            foreach (var phone in Phones)
            {
                await phone.DisposeAsync();
            }
        }
    }
}
