using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.OnChain.Tests.Support;
using NexusOrleans.Protocol.Settlement;
using NexusOrleans.Silo.Tests;

namespace NexusOrleans.OnChain.Tests;

/// <summary>
/// The operator's path of docs/CHAIN-WALKTHROUGH.md end to end, each step with the tool the walkthrough names: tokens
/// from <c>contracts/fund-local.mjs</c>, <c>ichat chain stake</c>, a silo process running the operator's relay with the
/// chain settings and ten-second epochs, the epoch anchored by that silo, and <c>ichat chain claim</c> minting the
/// reward into the wallet of the operator's mnemonic. Canaries are off, so a relay that served a whole epoch earns the
/// whole pro-rata reward and the amount can be checked exactly.
/// </summary>
[Trait("Category", "E2E")]
public sealed class OperatorWalkthroughTests(ChainFixture fixture) : IClassFixture<ChainFixture>
{
    /// <summary>Account 1 of anvil's test mnemonic, the anchor account of the fixture's deployment (public knowledge, local chains only).</summary>
    private const string AnchorKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Operator_FundedStakedAndServingWholeEpochs_ClaimsOneEpochThenTheRestIntoTheMnemonicsWallet()
    {
        var op = await fixture.NewOperatorAsync();
        var funded = await RunNodeScriptAsync("fund-local.mjs", "--rpc", fixture.Rpc.ToString(), "--contracts", fixture.ContractsFile, $"{op.Address}=1000000");
        Assert.Contains($"Funded {op.Address} with 1000000 iChat", funded, StringComparison.Ordinal);

        var staked = await op.ChainAsync("stake", "1000000");
        Assert.True(staked.ExitCode == 0, staked.Errors);
        Assert.Contains("Relay:    yes", staked.Output, StringComparison.Ordinal);

        var keyFile = Path.Combine(Path.GetDirectoryName(fixture.ContractsFile)!, $"anchor-{Guid.NewGuid():n}.key");
        await File.WriteAllTextAsync(keyFile, AnchorKey + "\n", Ct);
        var deployment = fixture.Chain.Deployment;
        await using var silo = SiloProcess.Start(
            null,
            $"--Relay:MnemonicFile={op.MnemonicFile}",
            $"--Chain:Rpc:Endpoint={fixture.Rpc}",
            $"--Chain:Contracts:Staking={deployment.Staking.Address}",
            $"--Chain:Contracts:Distributor={deployment.Distributor.Address}",
            $"--Chain:Contracts:Token={deployment.Token.Address}",
            $"--Chain:Anchor:KeyFile={keyFile}",
            "--Chain:Sender:Confirmations=1",
            "--Chain:Sender:PollInterval=00:00:00.200",
            $"--Epochs:Length={EpochLength:c}",
            "--Epochs:CloseDelay=00:00:02",
            "--Epochs:SchedulerPeriod=00:00:01",
            "--Reminders:MinimumPeriod=00:00:01",
            "--Network:HeartbeatInterval=00:00:01",
            "--Canaries:Enabled=false");
        await silo.WaitForLine("is registered with the cluster");

        // Only this operator's relay serves, so the first epoch with a root to anchor is the first it served whole.
        var anchored = await silo.WaitForLine("is anchored: every transaction confirmed");
        var key = Regex.Match(anchored, @"Epoch (\S+) is anchored").Groups[1].Value;
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var proof = JsonDocument.Parse(await http.GetStringAsync($"/v1/epochs/{Uri.EscapeDataString(key)}/{op.Address.ToLowerInvariant()}", Ct)).RootElement;
        Assert.Equal("confirmed", proof.GetProperty("anchoring").GetProperty("state").GetString());
        var leaf = await RewardOfAsync(http, key, op.Address);

        var claim = await op.ChainAsync("claim", "--silo", silo.BaseAddress.ToString(), "--epoch", key);

        Assert.True(claim.ExitCode == 0, claim.Errors);
        var expected = ClusterEpochInputs.EpochReward(Tokens.Whole(100), EpochLength);
        Assert.Equal(expected, leaf);
        Assert.Equal(expected, await fixture.Chain.TokenContract.BalanceOfAsync(op.Address, Ct));
        Assert.Contains($"Claimed {Tokens.Format(expected)} iChat for epoch {key}", claim.Output, StringComparison.Ordinal);
        Assert.True(EpochKeys.TryParse(key, EpochLength, out var start));
        Assert.True(await fixture.Chain.Distributor.ClaimedAsync(EpochKeys.ChainEpoch(start), op.Address, Ct));

        var ledger = JsonDocument.Parse(await http.GetStringAsync($"/v1/accounts/{op.Address.ToLowerInvariant()}", Ct)).RootElement;
        Assert.Equal("0", ledger.GetProperty("balance").GetString());

        // The relay keeps serving: two epochs later, --last claims the epochs not claimed yet in one run.
        var second = EpochKeys.Format(start + EpochLength, EpochLength);
        var third = EpochKeys.Format(start + (2 * EpochLength), EpochLength);
        await silo.WaitForLine($"Epoch {third} is anchored");
        var rest = await op.ChainAsync("claim", "--silo", silo.BaseAddress.ToString(), "--last", "6");

        Assert.True(rest.ExitCode == 0, rest.Errors);
        Assert.DoesNotContain($"for epoch {key} ", rest.Output, StringComparison.Ordinal);
        var paid = Regex.Matches(rest.Output, @"^Claimed (\S+) iChat for epoch (\S+) ", RegexOptions.Multiline)
            .ToDictionary(match => match.Groups[2].Value, match => Tokens.TryParse(match.Groups[1].Value, out var amount) ? amount : throw new FormatException(match.Value));
        Assert.Contains(second, paid.Keys);
        Assert.Contains(third, paid.Keys);
        foreach (var (epoch, amount) in paid)
        {
            Assert.True(EpochKeys.TryParse(epoch, EpochLength, out var epochStart));
            Assert.True(await fixture.Chain.Distributor.ClaimedAsync(EpochKeys.ChainEpoch(epochStart), op.Address, Ct));
            Assert.Equal(amount, await RewardOfAsync(http, epoch, op.Address));
        }

        var total = paid.Values.Aggregate(expected, (sum, amount) => sum + amount);
        Assert.Equal(total, await fixture.Chain.TokenContract.BalanceOfAsync(op.Address, Ct));
        Assert.Contains($"Claimed {Tokens.Format(total - expected)} iChat in {paid.Count} epoch(s)", rest.Output, StringComparison.Ordinal);
    }

    private static async Task<UInt128> RewardOfAsync(HttpClient http, string epoch, string operatorAddress)
    {
        var answer = JsonDocument.Parse(await http.GetStringAsync($"/v1/epochs/{Uri.EscapeDataString(epoch)}/{operatorAddress.ToLowerInvariant()}", Ct)).RootElement;
        return UInt128.Parse(answer.GetProperty("leaf").GetProperty("reward").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <c>node contracts/SCRIPT ARGS</c> with the anchor key in its environment and returns what it wrote; fails on a non-zero exit.</summary>
    private static async Task<string> RunNodeScriptAsync(string script, params string[] arguments)
    {
        var contracts = Path.Combine(SiloProcess.RepositoryRoot, "contracts");
        await using var node = ChildProcess.Start("node " + script, contracts, ["node", script, .. arguments], new Dictionary<string, string> { ["ANCHOR_PRIVATE_KEY"] = AnchorKey });
        var exitCode = await node.WaitForExitAsync();
        var written = string.Join('\n', node.Output.Concat(node.Errors));
        Assert.True(exitCode == 0, $"{script} exited with {exitCode}:\n{written}");
        return written;
    }
}
