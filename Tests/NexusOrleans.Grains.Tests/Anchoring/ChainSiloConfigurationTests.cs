using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Grains.Anchoring;
using NexusOrleans.Silo.Chain;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Anchoring;

/// <summary>How the silo turns the chain on from configuration, and what it refuses at start.</summary>
public sealed class ChainSiloConfigurationTests : IDisposable
{
    private const string Key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private readonly string _directory = Directory.CreateTempSubdirectory("nexus-anchor-key-").FullName;

    [Fact]
    public void AddChainAnchoring_WithoutRpcEndpoint_AddsNothing()
    {
        using var app = Build(new Dictionary<string, string?>());

        Assert.Null(app.Services.GetService<AnchorBacklog>());
        Assert.DoesNotContain(app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "anchoring");
    }

    [Fact]
    public void AddChainAnchoring_WithEverythingSet_RegistersAnchoringAndAReadinessCheck()
    {
        var keyFile = Path.Combine(_directory, "anchor.key");
        File.WriteAllText(keyFile, Key + "\n");
        using var app = Build(Settings(("Chain:Anchor:KeyFile", keyFile)));

        app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();

        Assert.NotNull(app.Services.GetService<AnchorBacklog>());
        var check = Assert.Single(app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "anchoring");
        Assert.Contains(HealthEndpoints.ReadyTag, check.Tags);
        var chain = app.Services.GetRequiredService<AnchorChain>();
        Assert.Equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", chain.Sender.Address);
    }

    [Theory]
    [InlineData("0x1234", "does not hold a private key")]
    [InlineData("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "does not hold a private key")]
    public void AddChainAnchoring_MalformedKey_FailsAtStartNamingTheSettingNotTheKey(string key, string expected)
    {
        using var app = Build(Settings(("Chain:Anchor:Key", key)));

        var exception = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains("Chain:Anchor:Key", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddChainAnchoring_NoKey_FailsAtStartSayingWhatIsMissing()
    {
        using var app = Build(Settings());

        var exception = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains("Chain:Anchor:KeyFile (a file holding the anchor account's private key as 0x + 64 hex) or Chain:Anchor:Key must be set", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddChainAnchoring_BadContractAddress_FailsAtStartNamingTheContract()
    {
        var settings = Settings(("Chain:Anchor:Key", Key));
        settings["Chain:Contracts:Staking"] = "0x123";
        using var app = Build(settings);

        var exception = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains("Chain:Contracts:Staking must be the contract's address, 0x followed by 40 hex characters (got \"0x123\")", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("7.00:00:01")]
    public void AddChainAnchoring_WatchForOutOfRange_FailsAtStartSayingWhatIsAllowed(string watchFor)
    {
        using var app = Build(Settings(("Chain:Anchor:Key", Key), ("Chain:Anchoring:WatchFor", watchFor)));

        var exception = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains($"Chain:Anchoring:WatchFor must be between 0 (no watch after confirmation) and 7 days (got {TimeSpan.Parse(watchFor, System.Globalization.CultureInfo.InvariantCulture)})", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddChainAnchoring_WatchForZero_IsAcceptedAndTurnsTheWatchOff()
    {
        using var app = Build(Settings(("Chain:Anchor:Key", Key), ("Chain:Anchoring:WatchFor", "00:00:00")));

        app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.Zero, app.Services.GetRequiredService<IOptions<AnchoringOptions>>().Value.WatchFor);
    }

    [Fact]
    public void AddChainAnchoring_KeyFileMissing_FailsAtStartNamingTheFile()
    {
        var missing = Path.Combine(_directory, "absent.key");
        using var app = Build(Settings(("Chain:Anchor:KeyFile", missing)));

        var exception = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains($"Chain:Anchor:KeyFile ({missing}) cannot be read", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backlog_Instruments_ArePublishedOnTheNexusOrleansMeter()
    {
        var services = new ServiceCollection().AddMetrics();
        var clock = new ManualTimeProvider();
        using var provider = services.BuildServiceProvider();
        var meters = provider.GetRequiredService<IMeterFactory>();
        using var backlog = new AnchorBacklog(meters, clock);
        var seen = new Dictionary<string, double>();
        var states = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this factory's meter: silos of other tests running at the same time publish on "NexusOrleans" too.
            if (instrument.Meter.Name == "NexusOrleans" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            seen[instrument.Name] = seen.GetValueOrDefault(instrument.Name) + value;
            states.Add((string)tags[0].Value!);
        });
        listener.Start();

        backlog.Pending("2026-11-21T10", clock.GetUtcNow());
        backlog.Pending("2026-11-21T11", clock.GetUtcNow().AddMinutes(30));
        clock.Advance(TimeSpan.FromMinutes(45));
        backlog.Transaction("sent");
        backlog.Transaction("confirmed");
        listener.RecordObservableInstruments();

        Assert.Equal(2, seen["nexus.anchor.backlog"]);
        Assert.Equal(45 * 60, seen["nexus.anchor.oldest_pending_age"]);
        Assert.Equal(0, seen["nexus.anchor.conflicts"]);
        Assert.Equal(2, seen["nexus.anchor.transactions"]);
        Assert.Equal(["sent", "confirmed"], states);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Chain:Rpc:Endpoint"] = "http://127.0.0.1:8545",
            ["Chain:Contracts:Distributor"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            ["Chain:Contracts:Staking"] = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            ["Chain:Contracts:Token"] = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddChainAnchoring();
        return builder.Build();
    }
}
