using NexusOrleans.Chain.Tests.Anvil;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.OnChain.Tests.Support;
using NexusOrleans.Protocol.Settlement;
using NexusOrleans.Testing;

namespace NexusOrleans.OnChain.Tests;

/// <summary><c>ichat chain</c> against a real anvil with the contracts deployed as deploy-local.mjs deploys them.</summary>
[Trait("Category", "E2E")]
public sealed class ChainCliTests(ChainFixture fixture) : IClassFixture<ChainFixture>
{
    private static readonly UInt128 Minimum = Tokens.Whole(1_000_000);

    private DeployedChain Chain => fixture.Chain;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChainStake_BelowThenAboveTheMinimum_IsRelayOnlyAbove()
    {
        var op = await fixture.NewOperatorAsync();
        await Chain.FundAsync(op.Address, Tokens.Whole(1_500_000));

        var below = await op.ChainAsync("stake", "999999.5");
        Assert.False(await Chain.Staking.IsRelayAsync(op.Address, Ct));
        var above = await op.ChainAsync("stake", "1");

        Assert.Equal((0, 0), (below.ExitCode, above.ExitCode));
        Assert.Contains("Staked 999999.5 iChat on chain", below.Output, StringComparison.Ordinal);
        Assert.Contains("Relay:    no (relays need at least 1000000 iChat of active stake)", below.Output, StringComparison.Ordinal);
        Assert.Contains("Relay:    yes", above.Output, StringComparison.Ordinal);
        Assert.Contains("Active:   1000000.5 iChat staked", above.Output, StringComparison.Ordinal);
        Assert.Contains("Balance:  499999.5 iChat", above.Output, StringComparison.Ordinal);
        Assert.True(await Chain.Staking.IsRelayAsync(op.Address, Ct));
    }

    [Fact]
    public async Task ChainAccount_AfterAnUnstakeRequest_ShowsActivePendingAndUnlockTime()
    {
        var op = await fixture.NewOperatorAsync();
        await Chain.FundAsync(op.Address, Minimum);
        Assert.Equal(0, (await op.ChainAsync("stake", "1000000")).ExitCode);

        var unstake = await op.ChainAsync("unstake", "400000");
        var account = await op.ChainAsync("account");

        Assert.Equal((0, 0), (unstake.ExitCode, account.ExitCode));
        var unlockAt = (await Chain.Staking.StakeOfAsync(op.Address, Ct)).UnlockAt;
        var unlock = DateTimeOffset.FromUnixTimeSeconds((long)unlockAt).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Active:   600000 iChat staked", account.Output, StringComparison.Ordinal);
        Assert.Contains($"Pending:  400000 iChat, unlocks at {unlock}", account.Output, StringComparison.Ordinal);
        Assert.Contains("Relay:    no", account.Output, StringComparison.Ordinal);
        Assert.Contains($"Wallet:   {op.Address} on chain 31337", account.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChainWithdraw_BeforeTheDelayThenAfter_SaysWhenThenPaysThePendingStake()
    {
        var op = await fixture.NewOperatorAsync();
        await Chain.FundAsync(op.Address, Tokens.Whole(10));
        Assert.Equal(0, (await op.ChainAsync("stake", "10")).ExitCode);
        Assert.Equal(0, (await op.ChainAsync("unstake", "4")).ExitCode);

        var early = await op.ChainAsync("withdraw");
        await Chain.Node.SendAsync("evm_increaseTime", 7 * 24 * 3600);
        await Chain.Node.MineAsync();
        var late = await op.ChainAsync("withdraw");

        Assert.Equal(1, early.ExitCode);
        Assert.StartsWith("ichat: Your pending stake is still locked until ", Assert.Single(early.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(0, late.ExitCode);
        Assert.Contains("Withdrew 4 iChat of pending stake", late.Output, StringComparison.Ordinal);
        Assert.Equal(Tokens.Whole(4), await Chain.TokenContract.BalanceOfAsync(op.Address, Ct));
    }

    [Fact]
    public async Task ChainStake_WithoutTokens_FailsInOneLineNamingTheShortfall()
    {
        var op = await fixture.NewOperatorAsync();

        var result = await op.ChainAsync("stake", "1000000");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"ichat: Wallet {op.Address} holds 0 iChat on chain; staking 1000000 needs 1000000 more. iChat exists only through reward claims (`ichat chain claim`).",
            Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task ChainStake_WithoutEthForGas_FailsSayingSoAndSendsNothing()
    {
        var op = await fixture.NewOperatorAsync(eth: 0);
        await Chain.FundAsync(op.Address, Minimum);

        var result = await op.ChainAsync("stake", "1000000");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"ichat: Wallet {op.Address} has no ETH on chain 31337 to pay for gas; send it some first (on a local anvil: any of its funded accounts can).", Assert.Single(result.ErrorLines));
        Assert.Equal(Minimum, await Chain.TokenContract.BalanceOfAsync(op.Address, Ct));
    }

    [Fact]
    public async Task ChainClaim_AnAnchoredEpoch_PaysTheLineOnceAndTheSecondClaimSaysAlreadyClaimed()
    {
        var op = await fixture.NewOperatorAsync();
        const string key = "2026-11-21T10";
        Assert.True(EpochKeys.TryParse(key, out var start));
        var epoch = (ulong)start.ToUnixTimeSeconds();
        var tree = EpochBatchTree.Build([new EpochLeaf(op.Address, Tokens.Whole(100), 0), new EpochLeaf(Chain.Node.Wallet(7).Address, Tokens.Whole(3), Tokens.One)]);
        await Chain.Distributor.AnchorAsync(Chain.Anchor, epoch, tree.Root, Ct);
        await using var silo = await EpochProofServer.StartAsync(key, tree);

        var first = await op.ChainAsync("claim", "--silo", silo.Address.ToString());
        var second = await op.ChainAsync("claim", "--silo", silo.Address.ToString(), "--epoch", key);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"Claimed 100 iChat for epoch {key} (chain epoch {epoch}) to {op.Address}", first.Output, StringComparison.Ordinal);
        Assert.Contains("Balance:  100 iChat", first.Output, StringComparison.Ordinal);
        Assert.Equal(1, second.ExitCode);
        Assert.Equal(
            $"ichat: Already claimed: this epoch's reward was paid to that account before; nothing was sent. (AlreadyClaimed(epoch {epoch}, account {op.Address}))",
            Assert.Single(second.ErrorLines));
        Assert.Equal(Tokens.Whole(100), await Chain.TokenContract.BalanceOfAsync(op.Address, Ct));
    }

    [Fact]
    public async Task ChainClaim_WhenTheSiloGivesAChainEpoch_ClaimsThatEpoch()
    {
        var op = await fixture.NewOperatorAsync();
        const ulong chainEpoch = 4_242_000_007;
        var tree = EpochBatchTree.Build([new EpochLeaf(op.Address, Tokens.Whole(7), 0)]);
        await Chain.Distributor.AnchorAsync(Chain.Anchor, chainEpoch, tree.Root, Ct);
        await using var silo = await EpochProofServer.StartAsync("2026-11-21T11", tree, chainEpoch);

        var result = await op.ChainAsync("claim", "--silo", silo.Address.ToString(), "--epoch", "2026-11-21T11");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Claimed 7 iChat for epoch 2026-11-21T11 (chain epoch {chainEpoch})", result.Output, StringComparison.Ordinal);
        Assert.True(await Chain.Distributor.ClaimedAsync(chainEpoch, op.Address, Ct));
    }

    [Fact]
    public async Task ChainClaim_AnEpochNotAnchoredYet_SaysSoAndPaysNothing()
    {
        var op = await fixture.NewOperatorAsync();
        var tree = EpochBatchTree.Build([new EpochLeaf(op.Address, Tokens.Whole(100), 0)]);
        await using var silo = await EpochProofServer.StartAsync("2031-01-01T00", tree);

        var result = await op.ChainAsync("claim", "--silo", silo.Address.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("ichat: This epoch is not anchored on chain yet:", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("EpochNotAnchored(epoch 1924992000)", result.Errors, StringComparison.Ordinal);
        Assert.Equal(UInt128.Zero, await Chain.TokenContract.BalanceOfAsync(op.Address, Ct));
    }

    [Theory]
    [InlineData("0", "ichat: --last takes 1 to 168 epochs (got 0).")]
    [InlineData("169", "ichat: --last takes 1 to 168 epochs (got 169).")]
    public async Task ChainClaim_LastOutOfRange_IsRefusedBeforeAnythingIsRead(string last, string message)
    {
        var op = await fixture.NewOperatorAsync();

        var result = await op.ChainAsync("claim", "--last", last, "--silo", "http://127.0.0.1:9");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(message, Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task ChainClaim_EpochAndLastTogether_IsRefused()
    {
        var op = await fixture.NewOperatorAsync();

        var result = await op.ChainAsync("claim", "--epoch", "2026-11-21T10", "--last", "3", "--silo", "http://127.0.0.1:9");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ichat: Give either --epoch (one epoch) or --last (several), not both.", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Chain_NodeNotRunning_OneLineWithExitCode1AndNoMnemonic()
    {
        var op = await fixture.NewOperatorAsync(eth: 0);
        var nowhere = $"http://127.0.0.1:{LoopbackPort.Free()}";

        var result = await IchatResult.RunAsync("chain", "account", "--rpc", nowhere, "--contracts", fixture.ContractsFile, "-m", op.MnemonicFile);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"ichat: Cannot reach the chain node at {nowhere}/ ", line, StringComparison.Ordinal);
        Assert.EndsWith("Is it running? Pass its JSON-RPC URL with --rpc or ICHAT_CHAIN_RPC.", line, StringComparison.Ordinal);
        Assert.DoesNotContain(op.Mnemonic.Split(' ')[0] + " " + op.Mnemonic.Split(' ')[1], result.Errors + result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Chain_ContractsOfAnotherChainId_AreRefusedNamingBothIds()
    {
        var op = await fixture.NewOperatorAsync();
        var deployment = Chain.Deployment;
        var file = fixture.WriteContractsFile("mainnet.json", 1, deployment.Token.Address, deployment.Staking.Address, deployment.Distributor.Address);

        var result = await IchatResult.RunAsync("chain", "account", "--rpc", fixture.Rpc.ToString(), "--contracts", file, "-m", op.MnemonicFile);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"ichat: The node at {fixture.Rpc} is chain 31337, but the contracts file is for chain 1:", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_NoContractAtTheAddress_IsRefusedNamingIt()
    {
        var op = await fixture.NewOperatorAsync();
        var empty = Chain.Node.Wallet(8).Address;
        var file = fixture.WriteContractsFile("elsewhere.json", 31337, Chain.Deployment.Token.Address, empty, Chain.Deployment.Distributor.Address);

        var result = await IchatResult.RunAsync("chain", "account", "--rpc", fixture.Rpc.ToString(), "--contracts", file, "-m", op.MnemonicFile);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"ichat: No contract at {empty} (RelayStaking) on chain 31337", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChainUnstake_MoreThanTheActiveStake_ExplainsTheDecodedError()
    {
        var op = await fixture.NewOperatorAsync();

        var result = await op.ChainAsync("unstake", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"ichat: You cannot unstake more than your active stake. (InsufficientStake(operator {op.Address}, requested {Tokens.Whole(5)}, active 0))",
            Assert.Single(result.ErrorLines));
    }
}
