using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Relay;

/// <summary>
/// This relay's keys: the Ed25519 key it signs <c>hello</c> and relay lists with (phones see it as the relay's identity),
/// and its operator's EVM wallet. Both come from the operator's mnemonic; the mnemonic itself is dropped after use.
/// </summary>
/// <remarks>
/// The wallet's private key controls the operator's stake, so it is kept only until the relay has signed its one
/// registration (<see cref="SignRegistration"/>, at start-up) and wiped then; from then on only the address remains.
/// The relay key stays for the process's life: every connection's <c>hello</c> needs it.
/// </remarks>
public sealed class RelayIdentity : IDisposable
{
    private readonly Lock _walletLock = new();
    private EvmWallet? _wallet;

    private RelayIdentity(ChatKeys keys, EvmWallet wallet, string source, int nodeIndex)
    {
        Keys = keys;
        _wallet = wallet;
        Wallet = wallet.Address;
        Source = source;
        NodeIndex = nodeIndex;
    }

    /// <summary>The relay's signing keys.</summary>
    public ChatKeys Keys { get; }

    /// <summary>The relay's public key.</summary>
    public PublicKey Key => Keys.Identity;

    /// <summary>The operator's EVM wallet address (EIP-55).</summary>
    public string Wallet { get; }

    /// <summary>Where the mnemonic came from, for the start-up log (never the mnemonic itself).</summary>
    public string Source { get; }

    /// <summary>Which of the operator's relay keys this is (the account of the chat key's derivation path).</summary>
    public int NodeIndex { get; }

    /// <summary>True until <see cref="SignRegistration"/> has used and wiped the operator's wallet key.</summary>
    public bool CanSignRegistration
    {
        get
        {
            lock (_walletLock)
            {
                return _wallet is not null;
            }
        }
    }

    /// <summary>Keys from a mnemonic: relay key number <paramref name="nodeIndex"/> and the operator wallet (account 0).</summary>
    public static RelayIdentity FromMnemonic(string mnemonic, string source, int nodeIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeIndex);
        var wallet = EvmWallet.FromMnemonic(mnemonic);
        try
        {
            return new RelayIdentity(ChatKeys.FromMnemonic(mnemonic, account: nodeIndex), wallet, source, nodeIndex);
        }
        catch
        {
            wallet.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Signs this relay's registration (docs/PROTOCOL.md, "Relay registration") with the operator's wallet and the relay
    /// key, then wipes the wallet's private key. Only once: a relay that needs a fresh registration restarts.
    /// </summary>
    /// <exception cref="InvalidOperationException">The registration was signed already (the wallet key is gone).</exception>
    public RelayRegistration SignRegistration(string endpoint, DateTimeOffset issuedAt)
    {
        // Only milliseconds are signed; the record carries exactly what was signed.
        issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(issuedAt.ToUnixTimeMilliseconds());
        var message = RelayRegistrationMessage.Registration(Wallet, Key.ToString(), issuedAt, endpoint);
        byte[] operatorSignature;
        lock (_walletLock)
        {
            if (_wallet is not { } wallet)
            {
                throw new InvalidOperationException("The operator's wallet key was wiped after the relay signed its registration; restart the relay to sign a new one.");
            }

            try
            {
                operatorSignature = wallet.SignPersonalMessage(message);
            }
            finally
            {
                wallet.Dispose();
                _wallet = null;
            }
        }

        return new RelayRegistration(Wallet, Key.ToString(), endpoint, issuedAt, operatorSignature, Keys.Sign(message));
    }

    /// <summary>Loads the operator's mnemonic as <see cref="RelayOperatorOptions"/> says, creating one when that is allowed.</summary>
    public static RelayIdentity Load(RelayOperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NodeIndex < 0)
        {
            throw new OptionsValidationException(
                RelayOperatorOptions.SectionName,
                typeof(RelayOperatorOptions),
                [$"Relay:NodeIndex is {options.NodeIndex}; it numbers the operator's relays from 0."]);
        }

        if (!string.IsNullOrWhiteSpace(options.Mnemonic))
        {
            return FromConfigured(options.Mnemonic, "Relay:Mnemonic", options.NodeIndex);
        }

        if (!string.IsNullOrWhiteSpace(options.MnemonicFile))
        {
            return FromFile(options.MnemonicFile, "Relay:MnemonicFile", options.NodeIndex);
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

        return FromFile(path, "Relay:GeneratedMnemonicFile", options.NodeIndex);
    }

    private static RelayIdentity FromFile(string file, string setting, int nodeIndex)
    {
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            throw new OptionsValidationException(
                RelayOperatorOptions.SectionName,
                typeof(RelayOperatorOptions),
                [$"{setting} points at {path}, which does not exist."]);
        }

        return FromConfigured(File.ReadAllText(path), $"{setting} ({path})", nodeIndex);
    }

    private static RelayIdentity FromConfigured(string mnemonic, string source, int nodeIndex)
    {
        try
        {
            return FromMnemonic(mnemonic, source, nodeIndex);
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
    public void Dispose()
    {
        Keys.Dispose();
        lock (_walletLock)
        {
            _wallet?.Dispose();
            _wallet = null;
        }
    }
}
