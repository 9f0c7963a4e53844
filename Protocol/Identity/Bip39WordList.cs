using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// The BIP39 English word list, loaded once from the embedded copy of the published <c>english.txt</c>.
/// </summary>
/// <remarks>
/// A single wrong word would silently turn every user's mnemonic into a different identity, so the list is checked
/// against the SHA-256 published with BIP39 when it is loaded, and a damaged copy stops the process rather than
/// deriving keys no other wallet would. The hash is taken over the words joined by "\n" (with a final "\n"), which is
/// the published file byte for byte, so a checkout that turned line ends into "\r\n" still loads.
/// </remarks>
internal static class Bip39WordList
{
    /// <summary>SHA-256 of the published <c>english.txt</c>, as listed in BIP39's word-list notes.</summary>
    public const string Sha256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda";

    public const int Count = 2048;

    private const string ResourceName = "NexusOrleans.Protocol.Identity.english.txt";

    static Bip39WordList()
    {
        using var stream = typeof(Bip39WordList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The BIP39 word list resource '{ResourceName}' is missing from {typeof(Bip39WordList).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var words = reader.ReadToEnd().Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0).ToArray();

        var canonical = Encoding.UTF8.GetBytes(string.Join('\n', words) + "\n");
        var hash = Convert.ToHexStringLower(SHA256.HashData(canonical));
        if (words.Length != Count || hash != Sha256)
        {
            throw new InvalidOperationException(
                $"The embedded BIP39 English word list is damaged: {words.Length} words with SHA-256 {hash}, expected {Count} words with SHA-256 {Sha256}.");
        }

        Words = Array.AsReadOnly(words);
        Indices = words.Select((word, index) => (word, index)).ToFrozenDictionary(pair => pair.word, pair => pair.index, StringComparer.Ordinal);
    }

    /// <summary>The 2048 words in order: a word's position is the 11-bit value it stands for.</summary>
    public static IReadOnlyList<string> Words { get; }

    /// <summary>Word → 11-bit value.</summary>
    public static FrozenDictionary<string, int> Indices { get; }
}
