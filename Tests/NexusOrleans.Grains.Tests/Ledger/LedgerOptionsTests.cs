using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Ledger;

namespace NexusOrleans.Grains.Tests.Ledger;

/// <summary>Ledger settings bind from the <c>Ledger</c> section and are checked when the host starts.</summary>
public sealed class LedgerOptionsTests
{
    [Fact]
    public void AddLedger_BindsTheLedgerSection()
    {
        using var services = Provider(new Dictionary<string, string?>
        {
            ["Ledger:OutboxRetryPeriod"] = "00:05:00",
            ["Ledger:CreditWait"] = "00:00:02",
        });

        var options = services.GetRequiredService<IOptions<LedgerOptions>>().Value;

        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2)), (options.OutboxRetryPeriod, options.CreditWait));
    }

    [Fact]
    public void Defaults_AreOneMinuteAndFiveSeconds()
    {
        using var services = Provider([]);

        var options = services.GetRequiredService<IOptions<LedgerOptions>>().Value;

        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5)), (options.OutboxRetryPeriod, options.CreditWait));
    }

    [Theory]
    [InlineData("OutboxRetryPeriod", "00:00:00")]
    [InlineData("OutboxRetryPeriod", "-00:01:00")]
    [InlineData("CreditWait", "00:00:00")]
    [InlineData("CreditWait", "00:01:01")]
    [InlineData("StakeRequestSkew", "00:00:00")]
    [InlineData("StakeRequestSkew", "01:00:01")]
    public void SettingOutOfRange_FailsStartupValidationNamingIt(string setting, string value)
    {
        using var services = Provider(new Dictionary<string, string?> { [$"Ledger:{setting}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Single(error.Failures);
        Assert.StartsWith($"Ledger:{setting} must be positive", error.Failures.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_HaveNoGenesisAndAFiveMinuteStakeRequestSkew()
    {
        using var services = Provider([]);

        var options = services.GetRequiredService<IOptions<LedgerOptions>>().Value;

        Assert.Equal((0, TimeSpan.FromMinutes(5)), (options.Genesis.Count, options.StakeRequestSkew));
    }

    [Fact]
    public void Genesis_BindsAsTheCommandLineWritesIt()
    {
        using var services = Provider(new Dictionary<string, string?>
        {
            ["Ledger:Genesis:0:Address"] = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94",
            ["Ledger:Genesis:0:Amount"] = "1000000",
            ["Ledger:Genesis:1:Address"] = "0x0000000000000000000000000000000000000001",
            ["Ledger:Genesis:1:Amount"] = "0.5",
        });

        var genesis = services.GetRequiredService<IOptions<LedgerOptions>>().Value.Genesis;

        Assert.Equal(
            [("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "1000000"), ("0x0000000000000000000000000000000000000001", "0.5")],
            genesis.Select(line => (line.Address, line.Amount)));
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda9", "1", "Ledger:Genesis:0:Address must be an EVM address, 0x followed by 40 hex characters (got '0x9858EfFD232B4033E47d90003D41EC34EcaEda9').")]
    [InlineData("9858EfFD232B4033E47d90003D41EC34EcaEda94", "1", "Ledger:Genesis:0:Address must be an EVM address")]
    [InlineData("treasury", "1", "Ledger:Genesis:0:Address must be an EVM address")]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "abc", "Ledger:Genesis:0:Amount must be an iChat amount above 0 with at most 18 decimals, such as \"1000000\" or \"0.5\" (got 'abc').")]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "0", "Ledger:Genesis:0:Amount must be an iChat amount above 0")]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "-5", "Ledger:Genesis:0:Amount must be an iChat amount above 0")]
    [InlineData("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "0.0000000000000000001", "Ledger:Genesis:0:Amount must be an iChat amount above 0")]
    public void Genesis_BadAddressOrAmount_FailsStartupValidationNamingTheLine(string address, string amount, string expected)
    {
        using var services = Provider(new Dictionary<string, string?> { ["Ledger:Genesis:0:Address"] = address, ["Ledger:Genesis:0:Amount"] = amount });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith(expected, Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Genesis_SameAddressTwiceInAnotherCase_FailsNamingBothLines()
    {
        using var services = Provider(new Dictionary<string, string?>
        {
            ["Ledger:Genesis:0:Address"] = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94",
            ["Ledger:Genesis:0:Amount"] = "1",
            ["Ledger:Genesis:1:Address"] = "0x9858effd232b4033e47d90003d41ec34ecaeda94",
            ["Ledger:Genesis:1:Amount"] = "2",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            "Ledger:Genesis:1:Address repeats 0x9858effd232b4033e47d90003d41ec34ecaeda94 of Ledger:Genesis:0; give each address one line.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void Genesis_TotalBeyondWhatALedgerAmountHolds_Fails()
    {
        var most = Tokens.Format(UInt128.MaxValue / Tokens.One * Tokens.One);
        using var services = Provider(new Dictionary<string, string?>
        {
            ["Ledger:Genesis:0:Address"] = "0x0000000000000000000000000000000000000001",
            ["Ledger:Genesis:0:Amount"] = most,
            ["Ledger:Genesis:1:Address"] = "0x0000000000000000000000000000000000000002",
            ["Ledger:Genesis:1:Amount"] = most,
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("Ledger:Genesis adds up to more than", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigureAction_RunsAfterTheBinding()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ledger:CreditWait"] = "00:00:30" }).Build())
            .AddLedger(options => options.CreditWait = TimeSpan.FromSeconds(1));
        using var provider = services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(1), provider.GetRequiredService<IOptions<LedgerOptions>>().Value.CreditWait);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .AddLedger()
        .BuildServiceProvider();
}
