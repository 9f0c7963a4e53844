using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Gateway.Canaries;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Testing;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;

namespace NexusOrleans.Gateway.Tests;

/// <summary>
/// The silo's canary prober against real gateways on Kestrel, on the cluster's manual clock: a tick sends one canary
/// through each live relay with the product's client, and the relay's quality grain records what came back.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CanaryProberTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CanaryTimeout = TimeSpan.FromSeconds(10);
    private static readonly UInt128 Stake = Tokens.Whole(1_000_000);
    private RelayCluster _cluster = null!;
    private DateTimeOffset _hour;

    public async ValueTask InitializeAsync()
    {
        _cluster = await RelayCluster.StartAsync(
            gateways: 2,
            operatorStake: Stake,
            staticPeers: false,
            settings: new Dictionary<string, string?>
            {
                ["Canaries:Interval"] = Interval.ToString(),
                ["Canaries:Timeout"] = CanaryTimeout.ToString(),
            },
            siloServices: services => services.AddCanaries());
        await Poll.UntilAsync(async () => (await _cluster.Grains.GetRelayDirectory().List()).Count == 2, "both gateways are registered");
        await _cluster.SiloServices.GetRequiredService<CanaryProber>().Ready.WaitAsync(Patience, TestContext.Current.CancellationToken);
        _hour = Grains.Epochs.ServiceHours.HourOf(_cluster.Clock.GetUtcNow());
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task OneTick_ThroughLiveRelays_RecordsOneCanarySentAndDeliveredForEach()
    {
        _cluster.Clock.Advance(Interval);

        foreach (var relay in _cluster.RelayKeys)
        {
            var hour = await WaitForHourAsync(relay, hour => hour.Delivered == 1, "the canary came back");
            Assert.Equal((1, 1, 0), (hour.Sent, hour.Delivered, hour.Lost));
            Assert.Equal(TimeSpan.Zero, hour.MedianLatency);
        }
    }

    [Fact]
    public async Task Tick_ThroughAStoppedGateway_RecordsACanaryThatIsLostOnceTheTimeoutPasses()
    {
        await _cluster.StopGatewayAsync(1);

        _cluster.Clock.Advance(Interval);
        await Poll.UntilAsync(() => Task.FromResult(_cluster.Logs.Lines.Any(line => line.EventId.Id == 3712)), "the prober found the gateway down");

        // The live relay's canary must be in before the clock moves past its deadline too, or it would (rightly) be late.
        var live = await WaitForHourAsync(_cluster.RelayKeys[0], hour => hour.Delivered == 1, "the live relay's canary came back");
        var pending = await _cluster.Grains.GetRelayQuality(_cluster.RelayKeys[1]).GetPeriod(_hour, TimeSpan.FromHours(1));
        _cluster.Clock.Advance(CanaryTimeout + TimeSpan.FromSeconds(1));

        Assert.Equal((1, 1, 0), (live.Sent, live.Delivered, live.Lost));
        Assert.Equal((1, 0, 0, 1), (pending.Sent, pending.Delivered, pending.Lost, pending.Pending));
        var lost = await _cluster.Grains.GetRelayQuality(_cluster.RelayKeys[1]).GetPeriod(_hour, TimeSpan.FromHours(1));
        Assert.Equal((1, 0, 1), (lost.Sent, lost.Delivered, lost.Lost));
        Assert.Null(lost.MedianLatency);
    }

    [Fact]
    public async Task Ticks_AfterAGatewayStopsBetweenThem_CountTheFirstCanaryDeliveredAndTheSecondLost()
    {
        _cluster.Clock.Advance(Interval);
        await WaitForHourAsync(_cluster.RelayKeys[1], hour => hour.Delivered == 1, "the first canary came back");
        await _cluster.StopGatewayAsync(1);

        _cluster.Clock.Advance(Interval);
        await WaitForHourAsync(_cluster.RelayKeys[1], hour => hour.Sent == 2, "the second canary was sent");
        await Poll.UntilAsync(() => Task.FromResult(_cluster.Logs.Lines.Any(line => line.EventId.Id == 3712)), "the prober found the gateway down");
        await WaitForHourAsync(_cluster.RelayKeys[0], hour => hour.Delivered == 2, "the live relay's second canary came back");
        _cluster.Clock.Advance(CanaryTimeout + TimeSpan.FromSeconds(1));

        var hour = await _cluster.Grains.GetRelayQuality(_cluster.RelayKeys[1]).GetPeriod(_hour, TimeSpan.FromHours(1));
        Assert.Equal((2, 1, 1), (hour.Sent, hour.Delivered, hour.Lost));
    }

    private async Task<CanaryPeriod> WaitForHourAsync(string relayKey, Func<CanaryPeriod, bool> condition, string description)
    {
        CanaryPeriod? last = null;
        await Poll.UntilAsync(async () => condition(last = await _cluster.Grains.GetRelayQuality(relayKey).GetPeriod(_hour, TimeSpan.FromHours(1))), description);
        return last!;
    }
}

/// <summary>The Canaries settings are checked when the silo starts.</summary>
public sealed class CanaryOptionsTests
{
    [Theory]
    [InlineData("00:00:00", "00:00:30", "Canaries:Interval")]
    [InlineData("00:01:00", "00:00:00", "Canaries:Timeout")]
    [InlineData("00:01:00", "00:05:00", "Canaries:Timeout")]
    public void AddCanaries_WithAnIntervalOrTimeoutOutOfRange_FailsNamingTheSetting(string interval, string timeout, string setting)
    {
        using var provider = Provider(new() { ["Canaries:Interval"] = interval, ["Canaries:Timeout"] = timeout });

        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<CanaryOptions>>().Value);

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCanaries_WithoutSettings_SendsEveryMinuteAndWaitsThirtySeconds()
    {
        using var provider = Provider([]);

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<CanaryOptions>>().Value;

        Assert.Equal((true, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)), (options.Enabled, options.Interval, options.Timeout));
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddCanaries();
        return services.BuildServiceProvider();
    }
}
