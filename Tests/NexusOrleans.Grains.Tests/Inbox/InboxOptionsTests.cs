using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Inbox;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>Inbox settings bind from the <c>Inbox</c> section and are checked when the host starts.</summary>
public sealed class InboxOptionsTests
{
    [Fact]
    public void AddInbox_BindsTheInboxSection()
    {
        using var services = Provider(new Dictionary<string, string?>
        {
            ["Inbox:MaxUnreadAge"] = "02:00:00",
            ["Inbox:MaxEnvelopes"] = "50",
            ["Inbox:MaxBytes"] = "4096",
            ["Inbox:ObserverExpiration"] = "00:10:00",
            ["Inbox:MaxFetchPage"] = "20",
            ["Inbox:ExpiryRetryPeriod"] = "00:05:00",
        });

        var options = services.GetRequiredService<IOptions<InboxOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromHours(2), 50, 4096L, TimeSpan.FromMinutes(10), 20, TimeSpan.FromMinutes(5)),
            (options.MaxUnreadAge, options.MaxEnvelopes, options.MaxBytes, options.ObserverExpiration, options.MaxFetchPage, options.ExpiryRetryPeriod));
    }

    [Fact]
    public void Defaults_AreTheProductLimits()
    {
        using var services = Provider([]);

        var options = services.GetRequiredService<IOptions<InboxOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromHours(6), 1000, 8L * 1024 * 1024, TimeSpan.FromMinutes(5), 100),
            (options.MaxUnreadAge, options.MaxEnvelopes, options.MaxBytes, options.ObserverExpiration, options.MaxFetchPage));
    }

    [Fact]
    public void MaxUnreadAge_AboveSixHours_FailsStartupValidation()
    {
        using var services = Provider(new Dictionary<string, string?> { ["Inbox:MaxUnreadAge"] = "06:00:01" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Inbox:MaxUnreadAge must be positive and at most 06:00:00 (got 06:00:01)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxUnreadAge", "00:00:00")]
    [InlineData("MaxEnvelopes", "0")]
    [InlineData("MaxBytes", "0")]
    [InlineData("ObserverExpiration", "-00:01:00")]
    [InlineData("MaxFetchPage", "0")]
    [InlineData("ExpiryRetryPeriod", "00:00:00")]
    public void NonPositiveSetting_FailsStartupValidationNamingIt(string setting, string value)
    {
        using var services = Provider(new Dictionary<string, string?> { [$"Inbox:{setting}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Single(error.Failures);
        Assert.StartsWith($"Inbox:{setting} must be", error.Failures.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigureAction_RunsAfterTheBinding()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Inbox:MaxEnvelopes"] = "50" }).Build())
            .AddInbox(options => options.MaxEnvelopes = 7);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(7, provider.GetRequiredService<IOptions<InboxOptions>>().Value.MaxEnvelopes);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .AddInbox()
        .BuildServiceProvider();
}
