namespace NexusOrleans.Protocol.Identity;

/// <summary>What is wrong with a mnemonic, so a client can say it in the user's language.</summary>
public enum InvalidMnemonicReason
{
    /// <summary>Not 12, 15, 18, 21 or 24 words.</summary>
    WordCount,

    /// <summary>A word that is not in the BIP39 English list (<see cref="InvalidMnemonicException.WordPosition"/> says which).</summary>
    UnknownWord,

    /// <summary>Every word is known but the checksum in the last word does not match: a word is wrong or words are swapped.</summary>
    Checksum,
}

/// <summary>
/// A mnemonic that is not a valid BIP39 English mnemonic. The message says what is wrong; for an unknown word it
/// quotes that one word (it is not in the list, so at worst it is a mistyped word of the secret) and never the rest.
/// </summary>
public sealed class InvalidMnemonicException : FormatException
{
    public InvalidMnemonicException(InvalidMnemonicReason reason, string message, int? wordPosition = null)
        : base(message)
    {
        Reason = reason;
        WordPosition = wordPosition;
    }

    public InvalidMnemonicReason Reason { get; }

    /// <summary>The 1-based position of the first unknown word, for <see cref="InvalidMnemonicReason.UnknownWord"/>.</summary>
    public int? WordPosition { get; }
}
