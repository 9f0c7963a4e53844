using System.Net;
using System.Text.Json;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Testing;

namespace NexusOrleans.Gateway.Tests.Support;

/// <summary>Base of the relay list tests: two staked gateways on Kestrel, both registered and listed before each test.</summary>
public abstract class ListedRelaysTest : IAsyncLifetime
{
    protected static readonly UInt128 Stake = Tokens.Whole(1_000_000);
    private readonly HttpClient _http = new();

    protected RelayCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Cluster = await RelayCluster.StartAsync(gateways: 2, operatorStake: Stake, staticPeers: false);
        await Poll.UntilAsync(async () => (await Cluster.Grains.GetRelayDirectory().List()).Count == 2, "both gateways are registered");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Cluster.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The answer of <c>GET /v1/relays</c> at <paramref name="gateway"/>.</summary>
    protected Task<HttpResponseMessage> GetAsync(int gateway) =>
        _http.GetAsync(new Uri($"http://127.0.0.1:{Cluster.Endpoints[gateway].Port}/v1/relays"), TestContext.Current.CancellationToken);

    /// <summary>The signed list <paramref name="gateway"/> serves, checked to be a 200 JSON answer.</summary>
    protected async Task<SignedRelayList> GetListAsync(int gateway)
    {
        using var response = await GetAsync(gateway);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    protected static SignedRelayList Parse(string json) => JsonSerializer.Deserialize(json, RelayListJson.Default.SignedRelayList)!;
}
