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
    public void SettingOutOfRange_FailsStartupValidationNamingIt(string setting, string value)
    {
        using var services = Provider(new Dictionary<string, string?> { [$"Ledger:{setting}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Single(error.Failures);
        Assert.StartsWith($"Ledger:{setting} must be positive", error.Failures.Single(), StringComparison.Ordinal);
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
