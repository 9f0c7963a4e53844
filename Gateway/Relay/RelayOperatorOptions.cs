namespace NexusOrleans.Gateway.Relay;

/// <summary>
/// Who operates this relay (configuration section <c>Relay</c>): the operator's mnemonic, which gives the relay's
/// signing key and the wallet its rewards go to. Set <see cref="Mnemonic"/> from a secret (environment variable
/// <c>Relay__Mnemonic</c>) or point <see cref="MnemonicFile"/> at a file only the relay's user can read.
/// </summary>
public sealed class RelayOperatorOptions
{
    public const string SectionName = "Relay";

    /// <summary>The operator's BIP39 mnemonic. Never commit it to a settings file.</summary>
    public string? Mnemonic { get; set; }

    /// <summary>A file holding the operator's mnemonic.</summary>
    public string? MnemonicFile { get; set; }

    /// <summary>
    /// When neither is set: create a mnemonic in this file on first start and reuse it afterwards (the embedded default,
    /// so a relay tried on a laptop keeps its identity across restarts). Empty disables it, making a key mandatory.
    /// </summary>
    public string GeneratedMnemonicFile { get; set; } = "./data/relay-operator.mnemonic";

    /// <summary>
    /// Which relay key of the operator's this node uses: an operator running several relays gives each its own number
    /// (0, 1, 2…), so each has its own key (chat key path m/44'/7337'/{NodeIndex}'/0'/0') under the one stake and wallet.
    /// </summary>
    public int NodeIndex { get; set; }
}
