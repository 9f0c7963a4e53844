using System.CommandLine;
using NexusOrleans.Grains.Ledger;

namespace NexusOrleans.Cli.Commands.Chain;

/// <summary>
/// <c>ichat chain …</c>: the wallet's stake and rewards on the EVM chain, next to the cluster-ledger commands
/// (<c>ichat stake</c>, <c>ichat rewards</c>) which stay as they are. Every command here signs with the mnemonic's wallet
/// (m/44'/60'/0'/0/0) and needs the node (<c>--rpc</c>) and the deployment (<c>--contracts</c>); see <see cref="ChainSettings"/>.
/// </summary>
internal static class ChainCommands
{
    public static Command Build()
    {
        var settings = new ChainSettings();
        var command = new Command(
            "chain",
            $"Stake, unstake, withdraw and claim rewards on the EVM chain with your mnemonic's wallet. The node is --rpc URL (or {ChainSettings.RpcVariable}, default {ChainSettings.DefaultRpc}); "
            + $"the contracts are --contracts FILE (or {ChainSettings.ContractsVariable}), the JSON line `node contracts/deploy-local.mjs` prints.")
        {
            settings.Rpc,
            settings.Contracts,
            Account(settings),
            Stake(settings),
            Unstake(settings),
            Withdraw(settings),
            ChainClaim.Command(settings),
        };
        return command;
    }

    private static Command Account(ChainSettings settings)
    {
        var command = new Command("account", "Show your wallet on chain: ETH for gas, iChat balance, active and pending stake, when pending stake unlocks, and whether you may run relays.");
        command.SetAction((result, cancellation) => ChainRun.RunAsync(result, async output =>
        {
            using var session = await ChainSession.OpenAsync(result, settings, cancellation);
            await PrintAccountAsync(session, output, cancellation);
            return 0;
        }));
        return command;
    }

    private static Command Stake(ChainSettings settings)
    {
        var amountArgument = AmountArgument();
        var command = new Command("stake", "Stake AMOUNT iChat of your wallet's tokens in RelayStaking (approve, then stake: two transactions). Relays need the contract's minimum of active stake.") { amountArgument };
        command.SetAction((result, cancellation) => ChainRun.RunAsync(result, async output =>
        {
            var amount = ParseAmount(result.GetRequiredValue(amountArgument));
            using var session = await ChainSession.OpenAsync(result, settings, cancellation);
            var balance = await session.Token.BalanceOfAsync(session.Address, cancellation);
            if (balance < amount)
            {
                throw new ChainCommandException(
                    $"Wallet {session.Address} holds {Tokens.Format(balance)} iChat on chain; staking {Tokens.Format(amount)} needs {Tokens.Format(amount - balance)} more. iChat exists only through reward claims (`ichat chain claim`).");
            }

            await session.RequireGasAsync(cancellation);
            await session.Token.ApproveAsync(session.Sender, session.Staking.Address, amount, cancellation);
            var mined = await session.Staking.StakeAsync(session.Sender, amount, cancellation);
            output.WriteLine($"Staked {Tokens.Format(amount)} iChat on chain from {session.Address} (transaction {mined.Hash}).");
            await PrintAccountAsync(session, output, cancellation);
            return 0;
        }));
        return command;
    }

    private static Command Unstake(ChainSettings settings)
    {
        var amountArgument = AmountArgument();
        var command = new Command("unstake", "Ask for AMOUNT iChat of active stake back: it stops counting for relays at once and can be withdrawn after the contract's unstake delay (each request restarts the delay for all pending stake).") { amountArgument };
        command.SetAction((result, cancellation) => ChainRun.RunAsync(result, async output =>
        {
            var amount = ParseAmount(result.GetRequiredValue(amountArgument));
            using var session = await ChainSession.OpenAsync(result, settings, cancellation);
            await session.RequireGasAsync(cancellation);
            var mined = await session.Staking.RequestUnstakeAsync(session.Sender, amount, cancellation);
            output.WriteLine($"Asked for {Tokens.Format(amount)} iChat of stake back (transaction {mined.Hash}).");
            await PrintAccountAsync(session, output, cancellation);
            return 0;
        }));
        return command;
    }

    private static Command Withdraw(ChainSettings settings)
    {
        var command = new Command("withdraw", "Take back all pending stake once its unstake delay has passed.");
        command.SetAction((result, cancellation) => ChainRun.RunAsync(result, async output =>
        {
            using var session = await ChainSession.OpenAsync(result, settings, cancellation);
            await session.RequireGasAsync(cancellation);
            var pending = (await session.Staking.StakeOfAsync(session.Address, cancellation)).Pending;
            var mined = await session.Staking.WithdrawAsync(session.Sender, cancellation);
            output.WriteLine($"Withdrew {Tokens.Format(pending)} iChat of pending stake to {session.Address} (transaction {mined.Hash}).");
            await PrintAccountAsync(session, output, cancellation);
            return 0;
        }));
        return command;
    }

    internal static async Task PrintAccountAsync(ChainSession session, TextWriter output, CancellationToken cancellation)
    {
        var eth = await session.Rpc.GetBalanceAsync(session.Address, "latest", cancellation);
        var balance = await session.Token.BalanceOfAsync(session.Address, cancellation);
        var stake = await session.Staking.StakeOfAsync(session.Address, cancellation);
        var isRelay = await session.Staking.IsRelayAsync(session.Address, cancellation);
        var minimum = await session.Staking.MinimumStakeAsync(cancellation);
        output.WriteLine($"Wallet:   {session.Address} on chain {session.ChainId}");
        output.WriteLine($"ETH:      {Tokens.Format((UInt128)eth)} (pays for gas)");
        output.WriteLine($"Balance:  {Tokens.Format(balance)} iChat");
        output.WriteLine($"Active:   {Tokens.Format(stake.Active)} iChat staked");
        output.WriteLine(stake.Pending == UInt128.Zero
            ? "Pending:  0 iChat"
            : $"Pending:  {Tokens.Format(stake.Pending)} iChat, unlocks at {ChainRun.When((System.Numerics.BigInteger)stake.UnlockAt)}");
        output.WriteLine($"Relay:    {(isRelay ? "yes" : "no")} (relays need at least {Tokens.Format(minimum)} iChat of active stake)");
    }

    private static Argument<string> AmountArgument() => new("amount") { Description = "iChat, such as 1000000 or 0.5 (at most 18 decimals)." };

    private static UInt128 ParseAmount(string text) =>
        Tokens.TryParse(text.Trim(), out var amount) && amount != UInt128.Zero
            ? amount
            : throw new ArgumentException($"'{text}' is not an iChat amount above 0 with at most 18 decimals (such as 1000000 or 0.5).");
}
