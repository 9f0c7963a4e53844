using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Relays;

namespace NexusOrleans.Grains.Tests.Relays;

/// <summary>Relay registration settings bind from the <c>Relays</c> section and are checked when the host starts.</summary>
public sealed class RelaysOptionsTests
{
    [Fact]
    public void AddRelays_BindsTheRelaysSection()
    {
        using var services = Provider(new Dictionary<string, string?>
        {
            ["Relays:RegistrationSkew"] = "00:02:00",
            ["Relays:ParametersRefresh"] = "00:00:30",
            ["Relays:StakeRefresh"] = "00:05:00",
            ["Relays:MaxNodesPerOperator"] = "8",
        });

        var options = services.GetRequiredService<IOptions<RelaysOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 8),
            (options.RegistrationSkew, options.ParametersRefresh, options.StakeRefresh, options.MaxNodesPerOperator));
    }

    [Fact]
    public void Defaults_PassStartupValidation()
    {
        using var services = Provider([]);

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(TimeSpan.FromMinutes(5), services.GetRequiredService<IOptions<RelaysOptions>>().Value.RegistrationSkew);
    }

    [Theory]
    [InlineData("RegistrationSkew", "00:00:00")]
    [InlineData("RegistrationSkew", "02:00:00")]
    [InlineData("ParametersRefresh", "00:00:00")]
    [InlineData("StakeRefresh", "-00:01:00")]
    [InlineData("MaxNodesPerOperator", "0")]
    public void OutOfRangeSetting_FailsStartupValidationNamingIt(string setting, string value)
    {
        using var services = Provider(new Dictionary<string, string?> { [$"Relays:{setting}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith($"Relays:{setting} must be", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .AddRelays()
        .BuildServiceProvider();
}
