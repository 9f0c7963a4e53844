using System.Text.Json;

namespace NexusOrleans.Silo.Tests;

/// <summary>
/// The README's operator steps with the <c>ichat</c> CLI as a separate process, against a silo started with a genesis
/// allocation: see the account, stake, watch the relay get listed, ask for rewards.
/// </summary>
[Trait("Category", "E2E")]
[Collection(GenesisSiloCollection.Name)]
public sealed class StakeCliTests(GenesisSilo silo)
{
    [Fact]
    public async Task StakeThenAccount_ShowTheStakedAmountMovedFromTheBalance()
    {
        var staked = await RunAsync("-m", silo.MnemonicFile("cli"), "stake", "250000.5", "--silo", silo.Url);
        var account = await RunAsync("account", "-m", silo.MnemonicFile("cli"), "--silo", silo.Url);

        Assert.Equal(0, staked.ExitCode);
        Assert.Contains($"Staked 250000.5 iChat from {silo.Address("cli")}.", staked.Output, StringComparison.Ordinal);
        Assert.Equal(0, account.ExitCode);
        Assert.Equal(
            $"Account: {silo.Address("cli")}\nBalance: 749999.5 iChat\nStake:   250000.5 iChat",
            account.Output);
    }

    [Fact]
    public async Task Stake_BeyondTheBalance_ExitsOneWithTheLedgersReason()
    {
        var refused = await RunAsync("-m", silo.MnemonicFile("cli-refused"), "stake", "2000000", "--silo", silo.Url);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("ichat: stake refused: The balance is 1000000 iChat; this entry needs 2000000 iChat.", refused.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stake_NotAnAmount_ExitsOneSayingWhatAnAmountIs()
    {
        var refused = await RunAsync("-m", silo.MnemonicFile("cli-refused"), "unstake", "1,5", "--silo", silo.Url);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("ichat: '1,5' is not an iChat amount above 0 with at most 18 decimals", refused.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stake_OfTheMinimumByTheRelaysOperator_GetsTheRelayListed()
    {
        var staked = await RunAsync("-m", silo.MnemonicFile("operator"), "stake", "1000000", "--silo", silo.Url);
        await silo.Process.WaitForLine("is registered with the cluster");
        using var http = new HttpClient { BaseAddress = silo.Process.BaseAddress };

        var list = JsonDocument.Parse(await http.GetStringAsync("/v1/relays", TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(0, staked.ExitCode);
        var relay = Assert.Single(list.GetProperty("relays").EnumerateArray());
        Assert.Equal(silo.Address("operator"), relay.GetProperty("operator").GetString());
        Assert.Equal("1000000000000000000000000", relay.GetProperty("stake").GetString());
    }

    [Fact]
    public async Task Rewards_BeforeAnyEpochClosed_ExitsOneSayingWhenEpochsClose()
    {
        var rewards = await RunAsync("-m", silo.MnemonicFile("operator"), "rewards", "--silo", silo.Url);

        Assert.Equal(1, rewards.ExitCode);
        Assert.Contains("ichat: No epoch has closed yet", rewards.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_WithNoSiloListening_ExitsOneNamingTheUrl()
    {
        var nowhere = $"http://127.0.0.1:{NexusOrleans.Testing.LoopbackPort.Free()}";

        var account = await RunAsync("-m", silo.MnemonicFile("read"), "account", "--silo", nowhere);

        Assert.Equal(1, account.ExitCode);
        Assert.Contains($"ichat: Cannot reach the silo at {nowhere}/", account.Errors, StringComparison.Ordinal);
    }

    private Task<IchatRun> RunAsync(params string[] arguments) => IchatRun.RunAsync(silo.KeysDirectory, arguments);
}
