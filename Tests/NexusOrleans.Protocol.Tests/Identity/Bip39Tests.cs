using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class Bip39Tests
{
    private const string AbandonAbout = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    /// <summary>Rows of docs/vectors/bip39.json: entropy hex, mnemonic, seed hex (passphrase "TREZOR").</summary>
    public static TheoryData<string, string, string> ReferenceVectors()
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var vector in VectorFiles.Load("bip39.json").GetProperty("english").EnumerateArray())
        {
            rows.Add(vector[0].GetString()!, vector[1].GetString()!, vector[2].GetString()!);
        }

        return rows;
    }

    [Fact]
    public void VectorFile_EnglishReferenceVectors_AreAllPresent()
    {
        var file = VectorFiles.Load("bip39.json");
        Assert.Equal("TREZOR", file.GetProperty("passphrase").GetString());
        Assert.Equal(24, file.GetProperty("english").GetArrayLength());
    }

    [Fact]
    public void WordListFile_AsCommitted_HasThePublishedSha256()
    {
        var bytes = File.ReadAllBytes(VectorFiles.PathOf(Path.Combine("Protocol", "Identity", "english.txt")));
        Assert.Equal("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void WordList_Loaded_Has2048WordsInBip39Order()
    {
        Assert.Equal(2048, Bip39.WordList.Count);
        Assert.Equal("abandon", Bip39.WordList[0]);
        Assert.Equal("about", Bip39.WordList[3]);
        Assert.Equal("zoo", Bip39.WordList[2047]);
        Assert.Equal(Bip39.WordList.Order(StringComparer.Ordinal), Bip39.WordList);
    }

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void FromEntropy_ReferenceVector_GivesPublishedMnemonic(string entropy, string mnemonic, string seed)
    {
        _ = seed;
        Assert.Equal(mnemonic, Bip39.FromEntropy(Convert.FromHexString(entropy)));
    }

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void ToEntropy_ReferenceVector_GivesPublishedEntropy(string entropy, string mnemonic, string seed)
    {
        _ = seed;
        Assert.Equal(entropy, Convert.ToHexStringLower(Bip39.ToEntropy(mnemonic)));
    }

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void ToSeed_ReferenceVectorWithTrezorPassphrase_GivesPublishedSeed(string entropy, string mnemonic, string seed)
    {
        _ = entropy;
        Assert.Equal(seed, Convert.ToHexStringLower(Bip39.ToSeed(mnemonic, "TREZOR")));
    }

    [Fact]
    public void ToSeed_EmptyPassphrase_GivesTheWellKnownAbandonAboutSeed()
    {
        // The seed every wallet shows for this mnemonic without a passphrase.
        Assert.Equal(
            "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4",
            Convert.ToHexStringLower(Bip39.ToSeed(AbandonAbout)));
    }

    [Fact]
    public void ToSeed_MixedCaseAndExtraWhitespace_GivesSameSeedAsCanonicalMnemonic()
    {
        var sloppy = "  ABANDON abandon\tabandon  abandon abandon abandon\nabandon abandon abandon abandon Abandon   about \r\n";
        Assert.Equal(Bip39.ToSeed(AbandonAbout, "TREZOR"), Bip39.ToSeed(sloppy, "TREZOR"));
    }

    [Fact]
    public void ToSeed_DifferentPassphrase_GivesDifferentSeed()
    {
        Assert.NotEqual(Bip39.ToSeed(AbandonAbout, ""), Bip39.ToSeed(AbandonAbout, "TREZOR"));
    }

    [Fact]
    public void ToSeed_InvalidMnemonic_ThrowsInsteadOfDerivingAnotherIdentity()
    {
        var error = Assert.Throws<InvalidMnemonicException>(() => Bip39.ToSeed(AbandonAbout.Replace("about", "abandon", StringComparison.Ordinal)));
        Assert.Equal(InvalidMnemonicReason.Checksum, error.Reason);
    }

    [Fact]
    public void ToSeed_NonAsciiPassphrase_IsNfkdNormalisedOrRefused()
    {
        // Python: pbkdf2_hmac('sha512', AbandonAbout, b'mnemonic' + NFKD('Caf\u00e9 \u00c5'), 2048): composed and
        // decomposed spellings of the passphrase must give this one seed.
        const string expected = "05f48e38789e0a5c6b124c84c865e4e3909bd9487024641ab0ab98d1a684b01ebd26ba3b00a86bbf137f6093804145f3bec2231e029a4bbb63d2e4a22eee1efb";
        const string composed = "Caf\u00e9 \u00c5";
        const string decomposed = "Cafe\u0301 A\u030a";
        if (Bip39.UnicodeNormalizationAvailable)
        {
            Assert.Equal(expected, Convert.ToHexStringLower(Bip39.ToSeed(AbandonAbout, composed)));
            Assert.Equal(expected, Convert.ToHexStringLower(Bip39.ToSeed(AbandonAbout, decomposed)));
        }
        else
        {
            var error = Assert.Throws<NotSupportedException>(() => Bip39.ToSeed(AbandonAbout, composed));
            Assert.Contains("non-ASCII", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(25)]
    [InlineData(0)]
    public void Validate_WrongWordCount_ThrowsSayingTheAllowedCounts(int count)
    {
        var mnemonic = string.Join(' ', Enumerable.Repeat("abandon", count));
        var error = Assert.Throws<InvalidMnemonicException>(() => Bip39.Validate(mnemonic));
        Assert.Equal(InvalidMnemonicReason.WordCount, error.Reason);
        Assert.Contains("12, 15, 18, 21 or 24 words", error.Message, StringComparison.Ordinal);
        Assert.Contains($"has {count}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownWords_NamesTheFirstOneAndItsPosition()
    {
        var mnemonic = "abandon abandon abandn abandon abandon abandon abandon abandon abandon abandon abandn abaut";
        var error = Assert.Throws<InvalidMnemonicException>(() => Bip39.Validate(mnemonic));
        Assert.Equal(InvalidMnemonicReason.UnknownWord, error.Reason);
        Assert.Equal(3, error.WordPosition);
        Assert.Equal("Word 3 'abandn' is not in the BIP39 English word list.", error.Message);
    }

    [Fact]
    public void Validate_BadChecksum_ThrowsChecksumError()
    {
        var mnemonic = string.Join(' ', Enumerable.Repeat("abandon", 12));
        var error = Assert.Throws<InvalidMnemonicException>(() => Bip39.Validate(mnemonic));
        Assert.Equal(InvalidMnemonicReason.Checksum, error.Reason);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SwappedWords_ThrowsChecksumError()
    {
        var swapped = "legal winner thank year wave sausage worth useful legal winner yellow thank";
        Assert.Equal(InvalidMnemonicReason.Checksum, Assert.Throws<InvalidMnemonicException>(() => Bip39.Validate(swapped)).Reason);
    }

    [Fact]
    public void Validate_Exception_IsAFormatException()
    {
        Assert.IsAssignableFrom<FormatException>(Assert.Throws<InvalidMnemonicException>(() => Bip39.Validate("zoo")));
    }

    [Fact]
    public void IsValid_ValidAndInvalidMnemonics_AnswersEach()
    {
        Assert.True(Bip39.IsValid(AbandonAbout));
        Assert.True(Bip39.IsValid(AbandonAbout.ToUpperInvariant()));
        Assert.False(Bip39.IsValid(null));
        Assert.False(Bip39.IsValid(""));
        Assert.False(Bip39.IsValid(AbandonAbout.Replace("about", "zoo", StringComparison.Ordinal)));
        Assert.False(Bip39.IsValid(AbandonAbout.Replace("about", "bout", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(128, 12)]
    [InlineData(160, 15)]
    [InlineData(192, 18)]
    [InlineData(224, 21)]
    [InlineData(256, 24)]
    public void Generate_AllowedStrength_GivesValidMnemonicOfMatchingLength(int strengthBits, int words)
    {
        var mnemonic = Bip39.Generate(strengthBits);
        Assert.Equal(words, mnemonic.Split(' ').Length);
        Assert.True(Bip39.IsValid(mnemonic));
        Assert.Equal(strengthBits / 8, Bip39.ToEntropy(mnemonic).Length);
    }

    [Fact]
    public void Generate_TwoCalls_GiveDifferentMnemonics()
    {
        Assert.NotEqual(Bip39.Generate(), Bip39.Generate());
    }

    [Fact]
    public void Generate_Default_Gives12Words()
    {
        Assert.Equal(12, Bip39.Generate().Split(' ').Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(129)]
    [InlineData(512)]
    public void Generate_UnsupportedStrength_ThrowsNamingTheAllowedValues(int strengthBits)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Bip39.Generate(strengthBits));
        Assert.Equal("strengthBits", error.ParamName);
        Assert.Contains("128, 160, 192, 224 or 256", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(33)]
    public void FromEntropy_WrongLength_ThrowsSayingTheAllowedLengths(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => Bip39.FromEntropy(new byte[length]));
        Assert.Contains("16, 20, 24, 28 or 32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEntropy_InvalidMnemonic_Throws()
    {
        Assert.Throws<InvalidMnemonicException>(() => Bip39.ToEntropy("abandon about"));
    }
}
