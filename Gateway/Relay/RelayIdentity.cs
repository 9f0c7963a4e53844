using Microsoft.Extensions.Options;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Gateway.Relay;

/// <summary>
/// This relay's keys: the Ed25519 key it signs <c>hello</c> with (phones see it as the relay's identity) and its
/// operator's EVM wallet address. Both come from the operator's mnemonic; the mnemonic itself is dropped after use.
/// </summary>
public sealed class RelayIdentity : IDisposable
{
    private RelayIdentity(ChatKeys keys, string wallet, string source)
    {
        Keys = keys;
        Wallet = wallet;
        Source = source;
    }

    /// <summary>The relay's signing keys.</summary>
    public ChatKeys Keys { get; }

    /// <summary>The relay's public key.</summary>
    public PublicKey Key => Keys.Identity;

    /// <summary>The operator's EVM wallet address (EIP-55).</summary>
    public string Wallet { get; }

    /// <summary>Where the mnemonic came from, for the start-up log (never the mnemonic itself).</summary>
    public string Source { get; }

    /// <summary>Keys from a mnemonic.</summary>
    public static RelayIdentity FromMnemonic(string mnemonic, string source)
    {
        using var wallet = EvmWallet.FromMnemonic(mnemonic);
        return new RelayIdentity(ChatKeys.FromMnemonic(mnemonic), wallet.Address, source);
    }

    /// <summary>Loads the operator's mnemonic as <see cref="RelayOperatorOptions"/> says, creating one when that is allowed.</summary>
    public static RelayIdentity Load(RelayOperatorOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Mnemonic))
        {
            return FromConfigured(options.Mnemonic, "Relay:Mnemonic");
        }

        if (!string.IsNullOrWhiteSpace(options.MnemonicFile))
        {
            return FromFile(options.MnemonicFile, "Relay:MnemonicFile");
        }

        if (string.IsNullOrWhiteSpace(options.GeneratedMnemonicFile))
        {
            throw new OptionsValidationException(
                RelayOperatorOptions.SectionName,
                typeof(RelayOperatorOptions),
                ["The relay has no operator key: set Relay:Mnemonic (e.g. the environment variable Relay__Mnemonic) or Relay:MnemonicFile."]);
        }

        var path = Path.GetFullPath(options.GeneratedMnemonicFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var created = Bip39.Generate(256);
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(path, System.Text.Encoding.UTF8, fileOptions);
            writer.WriteLine(created);
        }

        return FromFile(path, "Relay:GeneratedMnemonicFile");
    }

    private static RelayIdentity FromFile(string file, string setting)
    {
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            throw new OptionsValidationException(
                RelayOperatorOptions.SectionName,
                typeof(RelayOperatorOptions),
                [$"{setting} points at {path}, which does not exist."]);
        }

        return FromConfigured(File.ReadAllText(path), $"{setting} ({path})");
    }

    private static RelayIdentity FromConfigured(string mnemonic, string source)
    {
        try
        {
            return FromMnemonic(mnemonic, source);
        }
        catch (InvalidMnemonicException exception)
        {
            // The exception names a bad word; that is a hint about a secret, so only the kind of fault is reported.
            throw new OptionsValidationException(
                RelayOperatorOptions.SectionName,
                typeof(RelayOperatorOptions),
                [$"The operator mnemonic from {source} is not a valid BIP39 mnemonic ({exception.GetType().Name}); check the words and their order."]);
        }
    }

    /// <summary>Wipes the keys.</summary>
    public void Dispose() => Keys.Dispose();
}
