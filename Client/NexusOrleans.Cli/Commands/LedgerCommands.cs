using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Cli.Commands;

/// <summary>
/// The wallet's side of the ledger over a silo's HTTP endpoints: <c>ichat account</c>, <c>ichat stake AMOUNT</c>,
/// <c>ichat unstake AMOUNT</c> and <c>ichat rewards</c>. The wallet is the one of the mnemonic (m/44'/60'/0'/0/0); a stake
/// or unstake is signed with it (docs/PROTOCOL.md, "Staking") and its key is wiped right after.
/// </summary>
internal static class LedgerCommands
{
    public static Command Account()
    {
        var silo = SiloOption();
        var command = new Command("account", "Show the balance and stake of your wallet's account in the cluster's ledger.") { silo };
        command.SetAction((result, cancellation) => IchatCommands.Run(async () =>
        {
            var address = WalletAddress(result);
            using var http = SiloHttp.Create(result.GetValue(silo));
            var account = await http.GetAsync($"/v1/accounts/{address}", cancellation);
            Console.WriteLine($"Account: {address}");
            PrintAmounts(account);
            return 0;
        }));
        return command;
    }

    public static Command Move(StakeAction action)
    {
        var name = StakeMessage.Name(action);
        var amountArgument = new Argument<string>("amount") { Description = "iChat, such as 1000000 or 0.5 (at most 18 decimals)." };
        var silo = SiloOption();
        var description = action == StakeAction.Stake
            ? "Stake AMOUNT iChat of your wallet's balance (a relay is listed once its operator's stake reaches the network's minimum)."
            : "Move AMOUNT iChat of your wallet's stake back to its balance.";
        var command = new Command(name, description) { amountArgument, silo };
        command.SetAction((result, cancellation) => IchatCommands.Run(async () =>
        {
            var amountText = result.GetRequiredValue(amountArgument);
            if (!Tokens.TryParse(amountText.Trim(), out var amount) || amount == UInt128.Zero)
            {
                throw new ArgumentException($"'{amountText}' is not an iChat amount above 0 with at most 18 decimals (such as 1000000 or 0.5).");
            }

            var (address, body) = Sign(action, IchatCommands.ReadMnemonic(result), amount);
            using var http = SiloHttp.Create(result.GetValue(silo));
            JsonElement answer;
            try
            {
                answer = await http.PostAsync($"/v1/accounts/{address}/{name}", body, cancellation);
            }
            catch (SiloRefusedException refused) when (refused.Body is { } account && account.TryGetProperty("balanceIchat", out _))
            {
                // The ledger refused (not enough balance or stake): say why and where the account stands.
                Console.Error.WriteLine($"ichat: {name} refused: {refused.Message}");
                PrintAmounts(account, Console.Error);
                return 1;
            }

            Console.WriteLine(Text(answer, "status") == "alreadyApplied"
                ? $"This {name} request was applied before; nothing changed."
                : action == StakeAction.Stake
                    ? $"Staked {Tokens.Format(amount)} iChat from {address}."
                    : $"Unstaked {Tokens.Format(amount)} iChat of {address}.");
            PrintAmounts(answer);
            return 0;
        }));
        return command;
    }

    public static Command Rewards()
    {
        var hour = new Option<string?>("--hour", "--epoch") { Description = "The epoch: its UTC hour, yyyy-MM-ddTHH, or yyyy-MM-ddTHH:mm when the cluster's epochs are shorter (default: the last epoch closed)." };
        var silo = SiloOption();
        var command = new Command("rewards", "Show your reward and slash in an epoch (an hour unless the cluster's are shorter), with the Merkle proof that claims it.") { hour, silo };
        command.SetAction((result, cancellation) => IchatCommands.Run(async () =>
        {
            var address = WalletAddress(result);
            using var http = SiloHttp.Create(result.GetValue(silo));
            var epoch = result.GetValue(hour);
            if (string.IsNullOrWhiteSpace(epoch))
            {
                epoch = Text(await http.GetAsync("/v1/epochs", cancellation), "lastClosed")
                    ?? throw new ArgumentException("No epoch has closed yet: each epoch closes a little (Epochs:CloseDelay, 2 minutes by default) after it ends.");
            }

            var answer = await http.GetAsync($"/v1/epochs/{Uri.EscapeDataString(epoch.Trim())}/{address}", cancellation);
            var leaf = answer.GetProperty("leaf");
            Console.WriteLine($"Epoch:    {Text(answer, "hour")} (UTC)");
            Console.WriteLine($"Operator: {address}");
            Console.WriteLine($"Reward:   {Text(leaf, "rewardIchat")} iChat ({Text(leaf, "reward")} base units)");
            Console.WriteLine($"Slash:    {Text(leaf, "slashIchat")} iChat ({Text(leaf, "slash")} base units)");
            Console.WriteLine($"Root:     {Text(answer, "root")}");
            var proof = leaf.GetProperty("proof").EnumerateArray().Select(step => step.GetString()).ToArray();
            Console.WriteLine(proof.Length == 0
                ? "Proof:    (empty: yours is the batch's only line, so its leaf hash is the root)"
                : "Proof:    " + string.Join(Environment.NewLine + "          ", proof));
            return 0;
        }));
        return command;
    }

    /// <summary>The signed request body, and the address it is for; the wallet's key is wiped before this returns.</summary>
    private static (string Address, object Body) Sign(StakeAction action, string mnemonic, UInt128 amount)
    {
        using var wallet = EvmWallet.FromMnemonic(mnemonic);
        var issuedAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var message = StakeMessage.Build(action, wallet.Address, amount, (ulong)issuedAt);
        var signature = "0x" + Convert.ToHexStringLower(wallet.SignPersonalMessage(message));
        return (wallet.Address, new { amount = Tokens.Format(amount), issuedAt, signature });
    }

    private static string WalletAddress(ParseResult result)
    {
        using var wallet = EvmWallet.FromMnemonic(IchatCommands.ReadMnemonic(result));
        return wallet.Address;
    }

    private static Option<string> SiloOption() => new("--silo")
    {
        Description = $"The silo's HTTP URL (default {SiloHttp.DefaultSilo}).",
        DefaultValueFactory = _ => SiloHttp.DefaultSilo,
    };

    private static void PrintAmounts(JsonElement account, TextWriter? writer = null)
    {
        writer ??= Console.Out;
        writer.WriteLine($"Balance: {Text(account, "balanceIchat")} iChat");
        writer.WriteLine($"Stake:   {Text(account, "stakeIchat")} iChat");
        if (Text(account, "outgoing") is { } outgoing && outgoing != "0"
            && UInt128.TryParse(outgoing, NumberStyles.None, CultureInfo.InvariantCulture, out var units))
        {
            writer.WriteLine($"In transit to other accounts: {Tokens.Format(units)} iChat");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
