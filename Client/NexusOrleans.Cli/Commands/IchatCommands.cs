using System.CommandLine;
using NexusOrleans.Cli.Commands.Chain;
using NexusOrleans.Client;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Cli.Commands;

/// <summary>
/// The <c>ichat</c> commands. The mnemonic is read from a file (<c>--mnemonic-file</c>) or the environment variable
/// <c>ICHAT_MNEMONIC</c>, never from the command line, so it does not end up in shell history or process lists.
/// </summary>
public static class IchatCommands
{
    public const string MnemonicVariable = "ICHAT_MNEMONIC";
    public const string DefaultRelay = "ws://127.0.0.1:8080/v1/ws";

    private static readonly Option<FileInfo?> MnemonicFile = new("--mnemonic-file", "-m")
    {
        Description = $"File holding your mnemonic (default: the {MnemonicVariable} environment variable).",
        Recursive = true,
    };

    private static readonly Option<string[]> Relays = new("--relay", "-r")
    {
        Description = $"A relay's WebSocket URL; repeat for several (default {DefaultRelay}).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string> To = new("--to")
    {
        Description = "The recipient's identity (64 hex characters, from `ichat whoami`) or its did:key.",
        Required = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("iChat from the command line: end-to-end-encrypted messages through iChat relays, and your wallet's stake and rewards in the cluster's ledger and (ichat chain) on the EVM chain.");
        root.Add(MnemonicFile);
        root.Add(Relays);
        root.Add(NewCommand());
        root.Add(WhoAmICommand());
        root.Add(SendCommand());
        root.Add(ListenCommand());
        root.Add(ChatCommand());
        root.Add(LedgerCommands.Account());
        root.Add(LedgerCommands.Move(StakeAction.Stake));
        root.Add(LedgerCommands.Move(StakeAction.Unstake));
        root.Add(LedgerCommands.Rewards());
        root.Add(ChainCommands.Build());
        return root;
    }

    private static Command NewCommand()
    {
        var words = new Option<int>("--words") { Description = "12, 15, 18, 21 or 24 words.", DefaultValueFactory = _ => 24 };
        words.AcceptOnlyFromAmong("12", "15", "18", "21", "24");
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the mnemonic to this file (readable only by you) instead of printing it." };
        var command = new Command("new", "Create a new identity: a BIP39 mnemonic. Keep it safe: it is your only credential.") { words, output };
        command.SetAction(result =>
        {
            var mnemonic = Bip39.Generate(result.GetValue(words) * 32 / 3);
            if (result.GetValue(output) is { } file)
            {
                if (file.Exists)
                {
                    Console.Error.WriteLine($"ichat: {file.FullName} already exists; not overwriting an identity.");
                    return 1;
                }

                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var writer = new StreamWriter(file.FullName, System.Text.Encoding.UTF8, options))
                {
                    writer.WriteLine(mnemonic);
                }

                Console.WriteLine($"Mnemonic written to {file.FullName}");
            }
            else
            {
                Console.WriteLine(mnemonic);
                Console.Error.WriteLine("Write these words down and keep them secret: they are the only way back into this identity.");
            }

            using var keys = ChatKeys.FromMnemonic(mnemonic);
            Console.WriteLine($"Identity: {keys.Identity}");
            return 0;
        });
        return command;
    }

    private static Command WhoAmICommand()
    {
        var command = new Command("whoami", "Show your identity, its did:key and your wallet address.");
        command.SetAction(result => Run(() =>
        {
            var mnemonic = ReadMnemonic(result);
            using var keys = ChatKeys.FromMnemonic(mnemonic);
            using var wallet = EvmWallet.FromMnemonic(mnemonic);
            Console.WriteLine($"Identity: {keys.Identity}");
            Console.WriteLine($"DID:      {keys.Identity.ToDidKey()}");
            Console.WriteLine($"Wallet:   {wallet.Address}");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command SendCommand()
    {
        var text = new Argument<string>("text") { Description = "The message." };
        var command = new Command("send", "Send one message through every relay, then exit.") { To, text };
        command.SetAction((result, cancellation) => Run(async () =>
        {
            var recipient = ParseRecipient(result.GetRequiredValue(To));
            await using var client = await ConnectAsync(result, cancellation);
            var sent = await client.SendTextAsync(recipient, result.GetRequiredValue(text), cancellation);
            Console.WriteLine($"Sent {sent.Id} through {sent.AcceptedBy.Count} relay(s).");
            return 0;
        }));
        return command;
    }

    private static Command ListenCommand()
    {
        var command = new Command("listen", "Print messages as they arrive (and what waited for you), burning each once shown. Ctrl+C stops.");
        command.SetAction((result, cancellation) => Run(async () =>
        {
            await using var client = await ConnectAsync(result, cancellation);
            Console.Error.WriteLine($"Listening as {client.Identity} on {client.ConnectedRelays.Count} relay(s). Ctrl+C stops.");
            await PrintMessagesAsync(client, cancellation);
            return 0;
        }));
        return command;
    }

    private static Command ChatCommand()
    {
        var command = new Command("chat", "Chat with one identity: each line you type is sent, messages are printed as they arrive. Ctrl+D or Ctrl+C ends.") { To };
        command.SetAction((result, cancellation) => Run(async () =>
        {
            var recipient = ParseRecipient(result.GetRequiredValue(To));
            await using var client = await ConnectAsync(result, cancellation);
            Console.Error.WriteLine($"Chatting as {client.Identity} with {recipient} on {client.ConnectedRelays.Count} relay(s).");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var printing = PrintMessagesAsync(client, stop.Token);
            while (await Console.In.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                try
                {
                    await client.SendTextAsync(recipient, line, stop.Token);
                }
                catch (Exception exception) when (exception is NotConnectedException or SendFailedException)
                {
                    Console.Error.WriteLine($"not sent: {exception.Message}");
                }
            }

            await stop.CancelAsync();
            await printing;
            return 0;
        }));
        return command;
    }

    private static async Task PrintMessagesAsync(ChatClient client, CancellationToken cancellation)
    {
        try
        {
            await foreach (var message in client.Messages.ReadAllAsync(cancellation))
            {
                Console.WriteLine($"[{message.CreatedAt.ToLocalTime():HH:mm:ss}] {message.Sender.ToString()[..12]}…: {message.Text}");
                await client.AckAsync(message.Id, cancellation);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<ChatClient> ConnectAsync(ParseResult result, CancellationToken cancellation)
    {
        var relays = result.GetValue(Relays) is { Length: > 0 } given ? given : [DefaultRelay];
        var uris = relays.Select(relay => Uri.TryCreate(relay, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss"
            ? uri
            : throw new ArgumentException($"--relay '{relay}' is not a ws:// or wss:// URL.")).ToArray();
        var mnemonic = ReadMnemonic(result);
        var keys = ChatKeys.FromMnemonic(mnemonic);
        // The mnemonic's own wallet pays its fees; only the binding's signature is kept, the wallet key is wiped here.
        using var wallet = EvmWallet.FromMnemonic(mnemonic);
        var options = new ChatClientOptions { WalletBinding = NexusOrleans.Protocol.Wire.WalletBinding.Create(wallet, keys.Identity) };
        return await ChatClient.ConnectAsync(keys, uris, options, cancellation);
    }

    internal static string ReadMnemonic(ParseResult result)
    {
        var mnemonic = result.GetValue(MnemonicFile) is { } file
            ? (file.Exists ? File.ReadAllText(file.FullName) : throw new ArgumentException($"--mnemonic-file {file.FullName} does not exist."))
            : Environment.GetEnvironmentVariable(MnemonicVariable)
              ?? throw new ArgumentException($"No mnemonic: pass --mnemonic-file FILE or set {MnemonicVariable} (create one with `ichat new --out FILE`).");
        Bip39.Validate(mnemonic);
        return mnemonic;
    }

    private static PublicKey ParseRecipient(string text) =>
        text.StartsWith("did:key:", StringComparison.Ordinal) ? PublicKey.FromDidKey(text) : PublicKey.Parse(text);

    /// <summary>Runs a command's action; a failure the user can act on is one line on standard error and exit code 1.</summary>
    internal static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidMnemonicException or NotConnectedException or SendFailedException or IOException
                                               or SiloRefusedException)
        {
            Console.Error.WriteLine($"ichat: {exception.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
    }
}
