using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Gateway.Canaries;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Testing;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Gateway.Tests;

/// <summary>
/// Canaries on a network that charges fees: relays charge for them as for any message, so the prober pays from the
/// wallet of Canaries:ProbeMnemonicFile; without funds its canaries are refused and counted as lost.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CanaryFeeTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CanaryTimeout = TimeSpan.FromSeconds(10);
    private static readonly UInt128 Fee = Tokens.Whole(1) / 100;
    private readonly string _directory = Directory.CreateTempSubdirectory("canary-fees-").FullName;
    private RelayCluster _cluster = null!;
    private string _probeWallet = string.Empty;
    private DateTimeOffset _hour;

    public async ValueTask InitializeAsync()
    {
        var mnemonic = Bip39.Generate();
        var file = Path.Combine(_directory, "probe.mnemonic");
        await File.WriteAllTextAsync(file, mnemonic, TestContext.Current.CancellationToken);
        using (var wallet = EvmWallet.FromMnemonic(mnemonic))
        {
            _probeWallet = LedgerAccounts.Normalize(wallet.Address);
        }

        _cluster = await RelayCluster.StartAsync(
            gateways: 1,
            operatorStake: Tokens.Whole(1_000_000),
            staticPeers: false,
            settings: new Dictionary<string, string?>
            {
                ["Network:FeePerMessagePerRelay"] = "0.01",
                ["Canaries:Interval"] = Interval.ToString(),
                ["Canaries:Timeout"] = CanaryTimeout.ToString(),
                ["Canaries:ProbeMnemonicFile"] = file,
            },
            siloServices: services => services.AddCanaries());
        await Poll.UntilAsync(async () => (await _cluster.Grains.GetRelayDirectory().List()).Count == 1, "the gateway is registered");
        await _cluster.SiloServices.GetRequiredService<CanaryProber>().Ready.WaitAsync(Patience, TestContext.Current.CancellationToken);
        _hour = Grains.Epochs.ServiceHours.HourOf(_cluster.Clock.GetUtcNow());
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Tick_WithAFundedProbeWallet_DeliversTheCanaryAndPaysTheRelaysFee()
    {
        var minted = await _cluster.Grains.GetGrain<ISupplyGrain>(LedgerAccounts.Supply).Mint("fund-probe", _probeWallet, Tokens.Whole(1));
        Assert.Equal(EntryStatus.Applied, minted.Status);

        _cluster.Clock.Advance(Interval);

        var hour = await WaitForHourAsync(hour => hour.Delivered == 1, "the canary came back");
        Assert.Equal((1, 1, 0), (hour.Sent, hour.Delivered, hour.Lost));
        Assert.Equal(Tokens.Whole(1) - Fee, (await _cluster.Grains.GetGrain<IAccountGrain>(_probeWallet).GetAccount()).Balance);
        Assert.Contains(_cluster.Logs.Lines, line => line.EventId.Id == 3717 && line.Message.Contains(_probeWallet, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Tick_WithAnEmptyProbeWallet_IsRefusedAndTheCanaryIsLost()
    {
        _cluster.Clock.Advance(Interval);
        await WaitForHourAsync(hour => hour.Sent == 1, "the canary was sent");
        await Poll.UntilAsync(() => Task.FromResult(_cluster.Logs.Lines.Any(line => line.Message.Contains("payment-required", StringComparison.Ordinal))), "the relay asked for payment");

        _cluster.Clock.Advance(CanaryTimeout + TimeSpan.FromSeconds(1));

        var hour = await _cluster.Grains.GetRelayQuality(_cluster.RelayKeys[0]).GetPeriod(_hour, TimeSpan.FromHours(1));
        Assert.Equal((1, 0, 1), (hour.Sent, hour.Delivered, hour.Lost));
    }

    private async Task<CanaryPeriod> WaitForHourAsync(Func<CanaryPeriod, bool> condition, string description)
    {
        CanaryPeriod? last = null;
        await Poll.UntilAsync(async () => condition(last = await _cluster.Grains.GetRelayQuality(_cluster.RelayKeys[0]).GetPeriod(_hour, TimeSpan.FromHours(1))), description);
        return last!;
    }
}
