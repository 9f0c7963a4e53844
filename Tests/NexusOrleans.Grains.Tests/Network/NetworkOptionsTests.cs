using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;

namespace NexusOrleans.Grains.Tests.Network;

/// <summary>The network's starting parameters bind from the <c>Network</c> section and are checked when the host starts.</summary>
public sealed class NetworkOptionsTests
{
    [Fact]
    public void AddNetwork_BindsTheNetworkSection()
    {
        using var services = Provider(new Dictionary<string, string?>
        {
            ["Network:MinimumStake"] = "2000000",
            ["Network:HourlyReward"] = "12.5",
            ["Network:FeePerMessagePerRelay"] = "0.001",
            ["Network:DailyFreeMessages"] = "30",
            ["Network:MaxUnreadAge"] = "03:00:00",
            ["Network:HeartbeatInterval"] = "00:00:05",
            ["Network:OutageGap"] = "00:00:30",
            ["Network:FlappingLimit"] = "2",
            ["Network:SlashBps"] = "250",
        });

        var parameters = services.GetRequiredService<IOptions<NetworkOptions>>().Value.ToParameters();

        Assert.Equal(Tokens.Whole(2_000_000), parameters.MinimumStake);
        Assert.Equal(Tokens.Whole(12) + (Tokens.One / 2), parameters.HourlyReward);
        Assert.Equal(Tokens.One / 1000, parameters.FeePerMessagePerRelay);
        Assert.Equal(
            (30, TimeSpan.FromHours(3), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), 2, 250),
            (parameters.DailyFreeMessages, parameters.MaxUnreadAge, parameters.HeartbeatInterval, parameters.OutageGap, parameters.FlappingLimit, parameters.SlashBps));
    }

    [Fact]
    public void Defaults_PassStartupValidation()
    {
        using var services = Provider([]);

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void MinimumStake_NotAnAmount_FailsStartupValidationNamingIt()
    {
        using var services = Provider(new Dictionary<string, string?> { ["Network:MinimumStake"] = "a million" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("Network:MinimumStake is 'a million'; write an amount of iChat such as 1000000 or 0.5 (at most 18 decimals).", Assert.Single(error.Failures));
    }

    [Fact]
    public void MaxUnreadAge_AboveSixHours_FailsStartupValidation()
    {
        using var services = Provider(new Dictionary<string, string?> { ["Network:MaxUnreadAge"] = "06:00:01" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("Network:MaxUnreadAge must be positive and at most 06:00:00 (got 06:00:01).", Assert.Single(error.Failures));
    }

    [Fact]
    public void OutageGap_BelowTwoHeartbeats_FailsStartupValidation()
    {
        using var services = Provider(new Dictionary<string, string?> { ["Network:OutageGap"] = "00:00:15" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("Network:OutageGap must be at least twice HeartbeatInterval (00:00:20)", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1001")]
    public void DailyFreeMessages_OutsideItsRange_FailsStartupValidation(string value)
    {
        using var services = Provider(new Dictionary<string, string?> { ["Network:DailyFreeMessages"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal($"Network:DailyFreeMessages must be from 0 to 1000 (got {value}).", Assert.Single(error.Failures));
    }

    [Theory]
    [InlineData("CanaryLossThresholdBps", "10001")]
    [InlineData("LatencyPenaltyBps", "-1")]
    [InlineData("LossPenaltyBps", "20000")]
    [InlineData("FlappingPenaltyBps", "10001")]
    [InlineData("SlashBps", "-5")]
    public void Rate_OutsideBasisPoints_FailsStartupValidationNamingIt(string setting, string value)
    {
        using var services = Provider(new Dictionary<string, string?> { [$"Network:{setting}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith($"Network:{setting} is in basis points: 0 to 10000", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .AddNetwork()
        .BuildServiceProvider();
}
