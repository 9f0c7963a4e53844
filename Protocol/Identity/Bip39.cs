using System.Security.Cryptography;
using System.Text;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// BIP39 mnemonics with the English word list: the only secret an iChat user holds.
/// </summary>
/// <remarks>
/// <para>
/// A mnemonic encodes 128 to 256 bits of entropy plus a checksum of ENT/32 bits (the first bits of SHA-256 of the
/// entropy), 11 bits a word. <see cref="Validate"/> rejects anything that is not exactly such a sentence, so a typo is
/// caught here instead of silently becoming a different identity. The seed is PBKDF2-HMAC-SHA512 of the mnemonic with
/// salt "mnemonic" + passphrase, 2048 iterations, 64 bytes, as every BIP39 wallet computes it.
/// </para>
/// <para>
/// Input is read leniently and written canonically: words are split on any whitespace and lower-cased, then joined by
/// single spaces before hashing, so "  Abandon\tabandon …" gives the same seed as the canonical sentence.
/// </para>
/// <para>
/// BIP39 normalises mnemonic and passphrase with Unicode NFKD. ASCII text is its own NFKD form, so ASCII input needs no
/// normalisation at all. For other text .NET needs ICU: with <c>InvariantGlobalization=true</c> (as this repository's
/// builds set) <see cref="string.Normalize(NormalizationForm)"/> returns non-ASCII text unchanged without any error, which
/// would give a different seed from every other wallet for a passphrase such as "Café". So when normalisation is not
/// available (<see cref="UnicodeNormalizationAvailable"/> is false) a non-ASCII passphrase is refused with
/// <see cref="NotSupportedException"/> rather than derived wrongly; hosts that accept such passphrases must run with ICU.
/// </para>
/// <para>
/// Secrets in byte arrays are wiped after use. The mnemonic itself arrives as a .NET string, which cannot be wiped;
/// callers should keep it no longer than needed and never log it.
/// </para>
/// </remarks>
public static class Bip39
{
    /// <summary>Length of the seed <see cref="ToSeed"/> returns.</summary>
    public const int SeedBytes = 64;

    /// <summary>PBKDF2 iterations fixed by BIP39.</summary>
    public const int Pbkdf2Iterations = 2048;

    private const string AllowedWordCounts = "12, 15, 18, 21 or 24";

    /// <summary>The 2048 English words in order.</summary>
    public static IReadOnlyList<string> WordList => Bip39WordList.Words;

    /// <summary>Whether this process can NFKD-normalise non-ASCII text (false under <c>InvariantGlobalization</c>).</summary>
    public static bool UnicodeNormalizationAvailable { get; } = "\u00C5".Normalize(NormalizationForm.FormKD) == "A\u030A";

    /// <summary>A new mnemonic from <paramref name="strengthBits"/> bits of cryptographically random entropy.</summary>
    /// <param name="strengthBits">128, 160, 192, 224 or 256 (12, 15, 18, 21 or 24 words).</param>
    public static string Generate(int strengthBits = 128)
    {
        if (strengthBits is not (128 or 160 or 192 or 224 or 256))
        {
            throw new ArgumentOutOfRangeException(
                nameof(strengthBits), strengthBits, "A BIP39 mnemonic carries 128, 160, 192, 224 or 256 bits of entropy (12, 15, 18, 21 or 24 words).");
        }

        Span<byte> entropy = stackalloc byte[strengthBits / 8];
        try
        {
            RandomNumberGenerator.Fill(entropy);
            return FromEntropy(entropy);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entropy);
        }
    }

    /// <summary>The mnemonic of <paramref name="entropy"/> (16, 20, 24, 28 or 32 bytes): words joined by single spaces.</summary>
    public static string FromEntropy(ReadOnlySpan<byte> entropy)
    {
        if (entropy.Length is not (16 or 20 or 24 or 28 or 32))
        {
            throw new ArgumentException($"BIP39 entropy is 16, 20, 24, 28 or 32 bytes long, not {entropy.Length}.", nameof(entropy));
        }

        // Entropy followed by its SHA-256 is a bit string long enough for entropy ‖ checksum; word i is its bits 11i..11i+10.
        Span<byte> bits = stackalloc byte[entropy.Length + 32];
        try
        {
            entropy.CopyTo(bits);
            SHA256.HashData(entropy, bits[entropy.Length..]);
            var words = new string[entropy.Length * 3 / 4];
            for (var word = 0; word < words.Length; word++)
            {
                words[word] = Bip39WordList.Words[ReadBits(bits, word * 11, 11)];
            }

            return string.Join(' ', words);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bits);
        }
    }

    /// <summary>Throws <see cref="InvalidMnemonicException"/> saying what is wrong when <paramref name="mnemonic"/> is not a valid English BIP39 mnemonic.</summary>
    public static void Validate(string mnemonic)
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        var entropy = Decode(mnemonic, out var error);
        if (error is not null)
        {
            throw error;
        }

        CryptographicOperations.ZeroMemory(entropy);
    }

    /// <summary>Whether <paramref name="mnemonic"/> is a valid English BIP39 mnemonic (word count, words and checksum).</summary>
    public static bool IsValid(string? mnemonic)
    {
        if (mnemonic is null)
        {
            return false;
        }

        var entropy = Decode(mnemonic, out var error);
        CryptographicOperations.ZeroMemory(entropy);
        return error is null;
    }

    /// <summary>The entropy a valid mnemonic encodes; throws <see cref="InvalidMnemonicException"/> otherwise.</summary>
    public static byte[] ToEntropy(string mnemonic)
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        var entropy = Decode(mnemonic, out var error);
        return error is null ? entropy : throw error;
    }

    /// <summary>Derives something from the seed of <paramref name="mnemonic"/>, wiping the seed afterwards.</summary>
    internal static T FromSeed<T>(string mnemonic, string passphrase, Func<byte[], T> derive)
    {
        var seed = ToSeed(mnemonic, passphrase);
        try
        {
            return derive(seed);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// The 64-byte BIP39 seed of a valid mnemonic and an optional passphrase (PBKDF2-HMAC-SHA512, 2048 iterations,
    /// salt "mnemonic" + passphrase, both NFKD). Throws <see cref="InvalidMnemonicException"/> for an invalid mnemonic
    /// and <see cref="NotSupportedException"/> for a non-ASCII passphrase when Unicode normalisation is unavailable.
    /// </summary>
    public static byte[] ToSeed(string mnemonic, string passphrase = "")
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        Validate(mnemonic);

        // Valid words are ASCII, so the canonical sentence needs no normalisation.
        var password = Encoding.UTF8.GetBytes(string.Join(' ', SplitWords(mnemonic)));
        var salt = Encoding.UTF8.GetBytes("mnemonic" + NormalizeKd(passphrase));
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, Pbkdf2Iterations, HashAlgorithmName.SHA512, SeedBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(salt);
        }
    }

    private static string[] SplitWords(string mnemonic) =>
        mnemonic.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(word => word.ToLowerInvariant()).ToArray();

    /// <summary>The entropy, or an empty array and the exception to throw.</summary>
    private static byte[] Decode(string mnemonic, out InvalidMnemonicException? error)
    {
        var words = SplitWords(mnemonic);
        if (words.Length is not (12 or 15 or 18 or 21 or 24))
        {
            error = new InvalidMnemonicException(
                InvalidMnemonicReason.WordCount, $"A BIP39 mnemonic has {AllowedWordCounts} words; this one has {words.Length}.");
            return [];
        }

        // 11 bits a word: entropy ‖ checksum, with ENT = 32 × words / 3 bits and CS = ENT / 32.
        var bits = new byte[(words.Length * 11 + 7) / 8];
        for (var position = 0; position < words.Length; position++)
        {
            if (!Bip39WordList.Indices.TryGetValue(words[position], out var value))
            {
                CryptographicOperations.ZeroMemory(bits);
                error = new InvalidMnemonicException(
                    InvalidMnemonicReason.UnknownWord,
                    $"Word {position + 1} '{words[position]}' is not in the BIP39 English word list.",
                    position + 1);
                return [];
            }

            WriteBits(bits, position * 11, 11, value);
        }

        var entropyBytes = words.Length * 4 / 3;
        var checksumBits = words.Length / 3;
        var entropy = bits[..entropyBytes];
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(entropy, hash);
        var matches = ReadBits(bits, entropyBytes * 8, checksumBits) == ReadBits(hash, 0, checksumBits);
        CryptographicOperations.ZeroMemory(bits);
        CryptographicOperations.ZeroMemory(hash);
        if (!matches)
        {
            CryptographicOperations.ZeroMemory(entropy);
            error = new InvalidMnemonicException(
                InvalidMnemonicReason.Checksum,
                "The mnemonic's checksum does not match: every word is in the list, but one is wrong or two are swapped.");
            return [];
        }

        error = null;
        return entropy;
    }

    private static int ReadBits(ReadOnlySpan<byte> bytes, int start, int count)
    {
        var value = 0;
        for (var bit = start; bit < start + count; bit++)
        {
            value = (value << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1);
        }

        return value;
    }

    private static void WriteBits(Span<byte> bytes, int start, int count, int value)
    {
        for (var i = 0; i < count; i++)
        {
            if (((value >> (count - 1 - i)) & 1) != 0)
            {
                var bit = start + i;
                bytes[bit >> 3] |= (byte)(0x80 >> (bit & 7));
            }
        }
    }

    private static string NormalizeKd(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }

        if (!UnicodeNormalizationAvailable)
        {
            throw new NotSupportedException(
                "The passphrase has non-ASCII characters, which BIP39 normalises with Unicode NFKD, and this process runs with " +
                "InvariantGlobalization, where .NET cannot normalise them (the seed would differ from other wallets'). " +
                "Use an ASCII passphrase, or run the host with ICU (InvariantGlobalization=false).");
        }

        return text.Normalize(NormalizationForm.FormKD);
    }
}
