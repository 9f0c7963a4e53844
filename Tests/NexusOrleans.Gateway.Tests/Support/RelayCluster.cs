using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Grains;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Testing;

namespace NexusOrleans.Gateway.Tests.Support;

/// <summary>
/// A silo with its co-hosted gateway, plus any number of extra gateways calling the same silo, each a real Kestrel
/// server on 127.0.0.1 with its own relay key; all on one manual clock and one store, so a test can restart the silo
/// on the same data.
/// </summary>
public sealed class RelayCluster : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly Dictionary<string, string?> _settings;
    private readonly int _gatewayCount;
    private readonly string[] _relayMnemonics;
    private readonly bool _staticPeers;
    private readonly Action<IServiceCollection>? _siloServices;

    private RelayCluster(TestStore store, int gateways, Dictionary<string, string?> settings, bool staticPeers, Action<IServiceCollection>? siloServices)
    {
        _siloServices = siloServices;
        Store = store;
        _gatewayCount = gateways;
        _settings = settings;
        _staticPeers = staticPeers;
        _relayMnemonics = Enumerable.Range(0, gateways).Select(_ => Bip39.Generate()).ToArray();
        RelayKeys = _relayMnemonics.Select(mnemonic =>
        {
            using var keys = ChatKeys.FromMnemonic(mnemonic);
            return keys.Identity.ToString();
        }).ToArray();
        OperatorWallets = _relayMnemonics.Select(mnemonic =>
        {
            using var wallet = EvmWallet.FromMnemonic(mnemonic);
            return wallet.Address;
        }).ToArray();
    }

    public ManualTimeProvider Clock { get; } = new();

    public TestStore Store { get; }

    public LogCollector Logs { get; } = new();

    /// <summary>Each gateway's relay key (64 hex), in the order of <see cref="Endpoints"/>.</summary>
    public IReadOnlyList<string> RelayKeys { get; }

    /// <summary>Each gateway's operator wallet (EIP-55), in the order of <see cref="Endpoints"/>.</summary>
    public IReadOnlyList<string> OperatorWallets { get; }

    /// <summary>The silo's grain storage, for checking what is on disk.</summary>
    public NexusOrleans.Runtime.Storage.IGrainStorage Storage => _apps[0].Services.GetRequiredService<NexusOrleans.Runtime.Storage.IStorageProvider>().GrainStorage;

    /// <summary>The gateways' WebSocket URLs, the silo's own gateway first.</summary>
    public IReadOnlyList<Uri> Endpoints { get; private set; } = [];

    /// <summary>The silo's services (the first app's).</summary>
    public IServiceProvider SiloServices => _apps[0].Services;

    /// <summary>The silo's grains, for looking behind the gateway.</summary>
    public IGrainFactory Grains => _apps[0].Services.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Starts the silo and its gateways. Each gateway lists the others as configured peers unless <paramref name="staticPeers"/>
    /// is false; with <paramref name="operatorStake"/>, every gateway's operator has that stake in the ledger before anything
    /// starts, so the gateways register themselves at start-up. <paramref name="siloServices"/> adds services to the silo only.
    /// </summary>
    public static async Task<RelayCluster> StartAsync(
        int gateways = 1,
        StoreKind store = StoreKind.Memory,
        IDictionary<string, string?>? settings = null,
        UInt128? operatorStake = null,
        bool staticPeers = true,
        Action<IServiceCollection>? siloServices = null)
    {
        var cluster = new RelayCluster(await TestStore.CreateAsync(store), gateways, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()), staticPeers, siloServices);
        if (operatorStake is { } stake)
        {
            await cluster.StakeBeforeStartAsync(stake);
        }

        await cluster.StartAppsAsync();
        return cluster;
    }

    /// <summary>Stops gateway <paramref name="index"/> (1 or more: not the silo's own); its port stays closed, its registration stays.</summary>
    public async Task StopGatewayAsync(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        var app = _apps[index];
        await app.StopAsync();
        await app.DisposeAsync();
        _apps[index] = null!;
    }

    /// <summary>Stops every gateway and the silo (gracefully) and starts them again on the same store, ports and keys.</summary>
    public async Task RestartAsync()
    {
        await StopAppsAsync();
        await StartAppsAsync(Endpoints);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppsAsync();
        await Store.DisposeAsync();
    }

    private async Task StartAppsAsync(IReadOnlyList<Uri>? reuse = null)
    {
        // Ports are chosen up front so every gateway can list the others as its peers.
        Endpoints = reuse ?? Enumerable.Range(0, _gatewayCount).Select(_ => new Uri($"ws://127.0.0.1:{LoopbackPort.Free()}/v1/ws")).ToArray();
        var silo = CreateApp(0, Endpoints[0], services => services
            .AddGrainRuntime(runtime => runtime.AddGrains(typeof(GrainsAssembly).Assembly).UseStorage(_ => Store.CreateProvider()))
            .AddInbox()
            .AddLedger()
            .AddNetwork()
            .AddRelays()
            .Also(_siloServices));
        await silo.Services.OpenGrainStorageAsync();
        await silo.StartAsync();
        _apps.Add(silo);
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        for (var i = 1; i < _gatewayCount; i++)
        {
            var gateway = CreateApp(i, Endpoints[i], services => services.AddSingleton(grains));
            await gateway.StartAsync();
            _apps.Add(gateway);
        }
    }

    // A silo of its own on the same store and clock, stopped before the cluster starts: the stake is in storage when
    // the gateways register.
    private async Task StakeBeforeStartAsync(UInt128 stake)
    {
        await using var silo = await TestSilo.StartAsync(
            runtime => runtime.AddGrains(typeof(GrainsAssembly).Assembly).UseStorage(_ => Store.CreateProvider()),
            Clock,
            services => services.AddLedger().AddNetwork().AddRelays());
        foreach (var wallet in OperatorWallets)
        {
            await Ledger.StakeAsync(silo.Grains, wallet, stake);
        }
    }

    private WebApplication CreateApp(int index, Uri endpoint, Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{endpoint.Port}");
        var settings = new Dictionary<string, string?>(_settings) { ["Relay:Mnemonic"] = _relayMnemonics[index] };
        var peer = 0;
        for (var other = 0; other < _gatewayCount; other++)
        {
            if (other != index && _staticPeers)
            {
                settings[$"Gateway:Peers:{peer}:Key"] = RelayKeys[other];
                settings[$"Gateway:Peers:{peer}:Endpoint"] = Endpoints[other].ToString();
                peer++;
            }
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        configure(builder.Services);
        builder.Services.AddGateway();
        var app = builder.Build();
        app.MapGateway();
        return app;
    }

    private async Task StopAppsAsync()
    {
        // Gateways first, then the silo, as a rolling deployment would.
        for (var i = _apps.Count - 1; i >= 0; i--)
        {
            if (_apps[i] is null)
            {
                continue;
            }

            await _apps[i].StopAsync();
            await _apps[i].DisposeAsync();
        }

        _apps.Clear();
    }
}

internal static class ServiceCollectionAlso
{
    /// <summary>Runs <paramref name="configure"/> when given; for optional additions in a registration chain.</summary>
    public static IServiceCollection Also(this IServiceCollection services, Action<IServiceCollection>? configure)
    {
        configure?.Invoke(services);
        return services;
    }
}
