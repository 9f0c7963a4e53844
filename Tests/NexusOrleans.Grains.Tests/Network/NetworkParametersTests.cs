using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Network;

/// <summary>The network parameters: stored defaults on first use, governance changes applied once per decision.</summary>
public abstract class NetworkParametersTests : NetworkSiloTest
{
    [Fact]
    public async Task Get_OnANewNetwork_ReturnsTheProductDefaults()
    {
        var silo = await StartSiloAsync();

        var parameters = await Network(silo).Get();

        Assert.Equal(Tokens.Whole(1_000_000), parameters.MinimumStake);
        Assert.Equal(Tokens.Whole(100), parameters.HourlyReward);
        Assert.Equal(UInt128.Zero, parameters.FeePerMessagePerRelay);
        Assert.Equal(0, parameters.DailyFreeMessages);
        Assert.Equal(TimeSpan.FromHours(6), parameters.MaxUnreadAge);
        Assert.Equal(TimeSpan.FromSeconds(10), parameters.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), parameters.OutageGap);
        Assert.Empty(parameters.Validate());
    }

    [Fact]
    public async Task Get_OnFirstActivation_StoresTheDefaults()
    {
        var silo = await StartSiloAsync(network => network.HourlyReward = "42.5");

        await Network(silo).Get();

        var stored = await StoredStateAsync<NetworkParametersState>(silo, "network", NetworkGrains.ParametersKey);
        Assert.Equal(Tokens.Whole(42) + (Tokens.One / 2), stored!.Parameters!.HourlyReward);
    }

    [Fact]
    public async Task Get_AfterTheSettingsChangeAndARestart_KeepsTheStoredParameters()
    {
        var first = await StartSiloAsync();
        await Network(first).Get();
        await first.StopAsync();

        var second = await StartSiloAsync(network => network.HourlyReward = "5");

        Assert.Equal(Tokens.Whole(100), (await Network(second).Get()).HourlyReward);
    }

    [Fact]
    public async Task Change_WithANewDecision_AppliesAndSurvivesARestart()
    {
        var first = await StartSiloAsync();
        var current = await Network(first).Get();

        var change = await Network(first).Change(current with { HourlyReward = Tokens.Whole(250), DailyFreeMessages = 20 }, "decision-1");
        await first.StopAsync();
        var second = await StartSiloAsync();

        Assert.Equal(NetworkParameterChangeStatus.Applied, change.Status);
        var after = await Network(second).Get();
        Assert.Equal((Tokens.Whole(250), 20), (after.HourlyReward, after.DailyFreeMessages));
    }

    [Fact]
    public async Task Change_TheSameDecisionTwice_AppliesOnlyTheFirst()
    {
        var silo = await StartSiloAsync();
        var current = await Network(silo).Get();
        await Network(silo).Change(current with { HourlyReward = Tokens.Whole(250) }, "decision-7");

        var again = await Network(silo).Change(current with { HourlyReward = Tokens.Whole(999) }, "decision-7");

        Assert.Equal(NetworkParameterChangeStatus.AlreadyApplied, again.Status);
        Assert.Equal(Tokens.Whole(250), again.Parameters.HourlyReward);
        Assert.Equal(Tokens.Whole(250), (await Network(silo).Get()).HourlyReward);
    }

    [Fact]
    public async Task Change_TheSameDecisionAfterARestart_IsStillAppliedOnce()
    {
        var first = await StartSiloAsync();
        var current = await Network(first).Get();
        await Network(first).Change(current with { FlappingLimit = 5 }, "decision-restart");
        await first.StopAsync();
        var second = await StartSiloAsync();

        var again = await Network(second).Change(current with { FlappingLimit = 9 }, "decision-restart");

        Assert.Equal((NetworkParameterChangeStatus.AlreadyApplied, 5), (again.Status, (await Network(second).Get()).FlappingLimit));
    }

    [Fact]
    public async Task Change_LoweringMaxUnreadAge_Applies()
    {
        var silo = await StartSiloAsync();
        var current = await Network(silo).Get();

        await Network(silo).Change(current with { MaxUnreadAge = TimeSpan.FromHours(2) }, "shorter");

        Assert.Equal(TimeSpan.FromHours(2), (await Network(silo).Get()).MaxUnreadAge);
    }

    [Fact]
    public async Task Change_RaisingMaxUnreadAge_IsRefusedAndChangesNothing()
    {
        var silo = await StartSiloAsync();
        var current = await Network(silo).Get();
        await Network(silo).Change(current with { MaxUnreadAge = TimeSpan.FromHours(2) }, "shorter");

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => Network(silo).Change(current with { MaxUnreadAge = TimeSpan.FromHours(3), HourlyReward = Tokens.Whole(1) }, "longer"));

        Assert.Contains("MaxUnreadAge may only be lowered: 02:00:00 is in force, 03:00:00 was proposed", error.Message, StringComparison.Ordinal);
        var after = await Network(silo).Get();
        Assert.Equal((TimeSpan.FromHours(2), Tokens.Whole(100)), (after.MaxUnreadAge, after.HourlyReward));
    }

    [Fact]
    public async Task Change_MaxUnreadAgeAboveSixHours_IsRefused()
    {
        var silo = await StartSiloAsync();
        var current = await Network(silo).Get();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => Network(silo).Change(current with { MaxUnreadAge = TimeSpan.FromHours(7) }, "seven-hours"));

        Assert.Contains("MaxUnreadAge must be positive and at most 06:00:00 (got 07:00:00)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Change_WithInvalidValues_IsRefusedNamingEveryRuleBroken()
    {
        var silo = await StartSiloAsync();
        var current = await Network(silo).Get();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Network(silo).Change(
            current with { OutageGap = TimeSpan.FromSeconds(15), SlashBps = 20_000, MinimumStake = UInt128.Zero },
            "broken"));

        Assert.Contains("OutageGap must be at least twice HeartbeatInterval (00:00:20)", error.Message, StringComparison.Ordinal);
        Assert.Contains("SlashBps is in basis points: 0 to 10000 (got 20000)", error.Message, StringComparison.Ordinal);
        Assert.Contains("MinimumStake must be more than 0 iChat", error.Message, StringComparison.Ordinal);
        Assert.Equal(current, await Network(silo).Get());
    }

    [Fact]
    public async Task Change_ARefusedDecisionCorrected_AppliesUnderTheSameId()
    {
        var silo = await StartSiloAsync();
        var current = await Network(silo).Get();
        await Assert.ThrowsAsync<ArgumentException>(() => Network(silo).Change(current with { FlappingLimit = 0 }, "decision-9"));

        var change = await Network(silo).Change(current with { FlappingLimit = 4 }, "decision-9");

        Assert.Equal((NetworkParameterChangeStatus.Applied, 4), (change.Status, (await Network(silo).Get()).FlappingLimit));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    public async Task Change_WithoutAUsableDecisionId_IsRefused(string decisionId)
    {
        var silo = await StartSiloAsync();
        var current = await Network(silo).Get();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Network(silo).Change(current with { FlappingLimit = 4 }, decisionId));

        Assert.StartsWith("A decision id must be 1 to 200 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithAnotherKey_FailsNamingTheOneKey()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => silo.Grains.GetGrain<INetworkParametersGrain>("other").Get());

        Assert.Contains("has the one key 'network'", error.ToString(), StringComparison.Ordinal);
    }
}

public sealed class NetworkParametersTestsInMemory : NetworkParametersTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class NetworkParametersTestsOnSqlite : NetworkParametersTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class NetworkParametersTestsOnPostgres : NetworkParametersTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
