using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Silo.Tests;

/// <summary>The test classes that share one <see cref="GenesisSilo"/> (they run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class GenesisSiloCollection : ICollectionFixture<GenesisSilo>
{
    public const string Name = "Genesis silo";
}

/// <summary>
/// One silo process for the test classes of <see cref="GenesisSiloCollection"/>, started as the README tells an operator to: a genesis allocation of
/// 1,000,000 iChat for each of a few fresh wallets (each test uses its own, so tests do not see each other's stakes),
/// and the relay run under the "operator" wallet's mnemonic. Heartbeats and stake reads are made fast so a stake shows in
/// the relay list within seconds; epochs close 30 minutes after their hour, so none closes while the tests run.
/// </summary>
public sealed class GenesisSilo : IAsyncLifetime
{
    /// <summary>The wallets that receive a genesis allocation; "read" gets 2.5 iChat, every other one 1,000,000.</summary>
    public static readonly string[] Wallets = ["read", "stake", "replay", "forged", "skew", "unstake", "malformed", "cli", "cli-refused", "operator"];

    private readonly Dictionary<string, string> _mnemonics = Wallets.ToDictionary(name => name, _ => Bip39.Generate(128));

    public string KeysDirectory { get; } = Directory.CreateTempSubdirectory("nexus-keys-").FullName;

    public SiloProcess Process { get; private set; } = null!;

    /// <summary>The silo's HTTP address, as <c>--silo</c> takes it.</summary>
    public string Url => Process.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The wallet of <paramref name="name"/> (dispose it).</summary>
    public EvmWallet Wallet(string name) => EvmWallet.FromMnemonic(_mnemonics[name]);

    /// <summary>The address of <paramref name="name"/>'s wallet (EIP-55).</summary>
    public string Address(string name)
    {
        using var wallet = Wallet(name);
        return wallet.Address;
    }

    /// <summary>The file holding <paramref name="name"/>'s mnemonic, for <c>ichat -m</c>.</summary>
    public string MnemonicFile(string name) => Path.Combine(KeysDirectory, name + ".mnemonic");

    public async ValueTask InitializeAsync()
    {
        List<string> arguments =
        [
            $"--Relay:MnemonicFile={MnemonicFile("operator")}",
            "--Network:HeartbeatInterval=00:00:01",
            "--Relays:StakeRefresh=00:00:01",
            "--Epochs:CloseDelay=00:30:00",
        ];
        for (var i = 0; i < Wallets.Length; i++)
        {
            await File.WriteAllTextAsync(MnemonicFile(Wallets[i]), _mnemonics[Wallets[i]]);
            arguments.Add($"--Ledger:Genesis:{i}:Address={Address(Wallets[i])}");
            arguments.Add($"--Ledger:Genesis:{i}:Amount={(Wallets[i] == "read" ? "2.5" : "1000000")}");
        }

        Process = SiloProcess.Start(arguments: [.. arguments]);
        await Process.WaitForLine("Silo ready");
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        Directory.Delete(KeysDirectory, recursive: true);
    }
}
