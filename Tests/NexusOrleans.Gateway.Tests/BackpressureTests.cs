using System.Net.WebSockets;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

/// <summary>A phone that stops reading, and a relay that stops: neither loses a message.</summary>
public sealed class BackpressureTests : IAsyncLifetime
{
    private RelayCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await RelayCluster.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Gateway:SendQueueCapacity"] = "8",
        ["Gateway:PerIdentity:PermitsPerSecond"] = "100000",
        ["Gateway:PerIdentity:Burst"] = "100000",
        ["Inbox:MaxEnvelopes"] = "100000",
        ["Inbox:MaxBytes"] = "134217728",
    });

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task PhoneThatStopsReading_IsDisconnectedAndItsMessagesStayInItsInbox()
    {
        await using var alice = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        using var bobKeys = RawPhone.NewKeys();
        var sent = 0;
        await using (var bob = await RawPhone.ConnectAsync(_cluster.Endpoints[0], bobKeys))
        {
            // Bob reads nothing from here on. Socket buffers on loopback hold a few megabytes; the 8-frame queue
            // fills once they do, and the relay drops him.
            var text = new string('x', 3000);
            while (!_cluster.Logs.Lines.Any(line => line.EventId.Id == 4002))
            {
                Assert.True(sent < 20_000, "The relay kept queueing for a phone that reads nothing.");
                var envelope = Envelopes.Seal(alice.Keys, bobKeys.Identity, text, _cluster.Clock.GetUtcNow());
                Assert.Equal(FrameTypes.Ok, (await alice.RequestAsync(Envelopes.SendFrame(envelope))).Type);
                sent++;
            }
        }

        await using var again = await RawPhone.ConnectAsync(_cluster.Endpoints[0], bobKeys);
        var stored = 0;
        long after = 0;
        while (true)
        {
            var page = await again.RequestAsync(new WireFrame { Type = FrameTypes.Fetch, After = after, Limit = 100 });
            stored += page.Envelopes!.Length;
            if (page.HasMore != true)
            {
                break;
            }

            after = page.Next!.Value;
        }

        Assert.Equal(sent, stored);
    }

    [Fact]
    public async Task RelayStopping_TellsPhonesToReconnectElsewhere()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);

        var stopping = _cluster.RestartAsync();
        var frame = await phone.ReceiveAsync();
        await stopping;

        Assert.Null(frame);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.ReconnectElsewhere, phone.CloseStatus);
    }
}
