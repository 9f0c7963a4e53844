using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Grains;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Testing;
using NexusOrleans.Testing.Cluster;

namespace NexusOrleans.Gateway.Tests;

/// <summary>
/// A gateway run as its own process (in the test process: its own web application, hosting no grains) in front of a
/// cluster of silos on real PostgreSQL: phones are served through the cluster client, and a connected phone keeps
/// getting pushes when its inbox moves to another silo.
/// </summary>
public sealed class GatewayProcessTests : IAsyncLifetime
{
    private const int Partitions = 8;
    private readonly ManualTimeProvider _clock = new();
    private readonly List<TestSilo> _silos = [];
    private readonly LogCollector _logs = new();
    private PostgresTestStore _store = null!;
    private WebApplication? _gateway;

    public async ValueTask InitializeAsync() => _store = (PostgresTestStore)await TestStore.CreateAsync(StoreKind.Postgres);

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    [Fact]
    public async Task GatewayProcess_PhonesOnIt_SendIsPushedThroughTheCluster()
    {
        await StartSiloAsync();
        var endpoint = await StartGatewayAsync();
        await using var alice = await RawPhone.ConnectAsync(endpoint);
        await using var bob = await RawPhone.ConnectAsync(endpoint);

        var answer = await alice.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Keys.Identity, "via the gateway process", _clock.GetUtcNow())));

        Assert.Equal(FrameTypes.Ok, answer.Type);
        Assert.Equal("via the gateway process", Envelopes.OpenText(await bob.NextDeliveryAsync(), bob.Keys));
    }

    [Fact]
    public void GatewayProcess_NoConnectionString_RefusesToStartNamingTheSetting()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Test" });

        var refusal = Assert.Throws<ClusterConfigurationException>(() => builder.AddGatewayProcess());

        Assert.Contains("Storage:Postgres:ConnectionString", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_InboxMovesToAnotherSilo_ConnectedPhoneGetsTheNextDepositWithinSeconds()
    {
        var first = await StartSiloAsync();
        var endpoint = await StartGatewayAsync();
        await using var alice = await RawPhone.ConnectAsync(endpoint);
        await using var bob = await RawPhone.ConnectAsync(endpoint);
        var view = _gateway!.Services.GetRequiredService<PostgresClusterView>();
        var inbox = ((NexusOrleans.Runtime.Invocation.GrainReference)(object)first.Grains.GetGrain<IInboxGrain>(bob.Keys.Identity.ToString())).GrainId;
        var before = view.Lookup(inbox);

        // The gateway's clock is manual and never advanced: the two-minute renewal cannot be what subscribes bob again.
        var second = await StartSiloAsync();
        await first.StopAsync();
        await Poll.UntilAsync(() => view.Lookup(inbox) is var owner && owner.Owner != before.Owner && owner.Epoch > before.Epoch,
            "the gateway sees the inbox's new owner", TimeSpan.FromSeconds(20));
        var moved = TimeProvider.System.GetTimestamp();

        // When the gateway subscribes again is its background check's business and not observable from here, so Alice
        // keeps sending, one message per 200 ms, and the loop ends at the first push Bob receives (not after a fixed time).
        var delivery = bob.NextDeliveryAsync();
        for (var i = 0; !delivery.IsCompleted; i++)
        {
            var answer = await alice.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Keys.Identity, $"after the move {i}", _clock.GetUtcNow())));
            Assert.Equal(FrameTypes.Ok, answer.Type);
            await Task.WhenAny(delivery, Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken));
            Assert.True(TimeProvider.System.GetElapsedTime(moved) < TimeSpan.FromSeconds(10), "no push within 10 s of the move");
        }

        Assert.StartsWith("after the move", Envelopes.OpenText(await delivery, bob.Keys), StringComparison.Ordinal);
        Assert.Equal(Partitions, second.Host.Services.GetRequiredService<IPartitionDirectory>() is PostgresPartitionDirectory directory ? directory.ServingPartitions().Count : 0);
    }

    private async Task<TestSilo> StartSiloAsync()
    {
        var address = ClusterTestServices.NextAddress();
        var silo = await TestSilo.StartAsync(
            runtime => runtime
                .AddGrains(typeof(GrainsAssembly).Assembly)
                .UseStorage(_ => _store.CreateProvider())
                .UsePostgresCluster(options => Configure(options, address)),
            _clock,
            services => services.AddInbox().AddLedger().AddNetwork().AddRelays().AddKeyedSingleton(ClusterOptions.ClockKey, TimeProvider.System));
        _silos.Add(silo);
        return silo;
    }

    private async Task<Uri> StartGatewayAsync()
    {
        var port = LoopbackPort.Free();
        var client = ClusterTestServices.NextAddress();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Postgres:ConnectionString"] = _store.ConnectionString,
            ["Cluster:Host"] = client.Host,
            ["Cluster:Port"] = client.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:Generation"] = client.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:PartitionCount"] = Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:HeartbeatPeriod"] = "00:00:00.100",
            ["Cluster:LeaseDuration"] = "00:00:00.500",
            ["Cluster:DeadAfter"] = "00:00:00.600",
            ["Gateway:RegisterRelay"] = "false",
            ["Gateway:SubscriptionCheckPeriod"] = "00:00:00.200",
            ["Relay:Mnemonic"] = Bip39.Generate(),
        });
        builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddKeyedSingleton(ClusterOptions.ClockKey, TimeProvider.System);
        builder.AddGatewayProcess();
        _gateway = builder.Build();
        _gateway.MapGatewayProcess();
        await _gateway.StartAsync();
        return new Uri($"ws://127.0.0.1:{port}/v1/ws");
    }

    private static void Configure(ClusterOptions options, NexusOrleans.Runtime.Cluster.SiloAddress address)
    {
        options.Listen(address);
        options.PartitionCount = Partitions;
        (options.HeartbeatPeriod, options.LeaseDuration, options.DeadAfter) =
            (TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(600));
    }
}
