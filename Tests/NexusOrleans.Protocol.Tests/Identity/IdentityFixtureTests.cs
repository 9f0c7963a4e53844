using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

/// <summary>
/// docs/vectors/identity.json is the checked fixture other implementations (the Node interop script, phone clients)
/// reproduce: for each mnemonic every intermediate value from seed to did:key and EVM address. These tests recompute
/// every field and fail on any difference, so the file cannot drift from the code.
/// </summary>
public sealed class IdentityFixtureTests
{
    private const string FixtureFile = "identity.json";

    /// <summary>The inputs of the fixture: two mnemonics, one of them also at a second account.</summary>
    private static readonly (string Name, string Mnemonic, string Passphrase, int Account)[] Inputs =
    [
        ("abandon-about", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "", 0),
        ("abandon-about-account-1", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "", 1),
        ("hamster-24-words-trezor", "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length", "TREZOR", 0),
    ];

    private static readonly string[] Fields =
        ["name", "mnemonic", "passphrase", "account", "bip39Seed", "chatPath", "ed25519Seed", "identity", "didKey", "x25519PublicKey", "evmPath", "evmAddress"];

    public static TheoryData<string> EntryNames()
    {
        var rows = new TheoryData<string>();
        foreach (var entry in VectorFiles.Load(FixtureFile).GetProperty("identities").EnumerateArray())
        {
            rows.Add(entry.Text("name"));
        }

        return rows;
    }

    [Fact]
    public void Fixture_ListsEveryInputAndOnlyKnownFields()
    {
        var entries = VectorFiles.Load(FixtureFile).GetProperty("identities").EnumerateArray().ToArray();
        Assert.Equal(Inputs.Select(input => input.Name), entries.Select(entry => entry.Text("name")));
        Assert.All(entries, entry => Assert.Equal(Fields, entry.EnumerateObject().Select(property => property.Name)));
    }

    [Theory]
    [MemberData(nameof(EntryNames))]
    public void Fixture_Entry_IsReproducedFieldByField(string name)
    {
        var entry = VectorFiles.Load(FixtureFile).GetProperty("identities").EnumerateArray().Single(e => e.Text("name") == name);
        var computed = Compute(entry.Text("mnemonic"), entry.Text("passphrase"), entry.GetProperty("account").GetInt32());
        foreach (var field in Fields.Except(["name", "mnemonic", "passphrase", "account"]))
        {
            Assert.True(entry.Text(field) == computed[field]!.GetValue<string>(), $"{name}.{field}: file has {entry.Text(field)}, code computes {computed[field]}");
        }
    }

    [Fact]
    public void Fixture_AbandonAbout_HasTheWellKnownSeedAndAddress()
    {
        var entry = VectorFiles.Load(FixtureFile).GetProperty("identities")[0];
        Assert.Equal("5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4", entry.Text("bip39Seed"));
        Assert.Equal("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", entry.Text("evmAddress"));
    }

    /// <summary>
    /// Rewrites docs/vectors/identity.json from the code. Explicit: it never runs with the suite. Run it after a
    /// deliberate change of derivation, then review the diff:
    /// <c>dotnet run --project Tests/NexusOrleans.Protocol.Tests -- -method "*WriteFixture*" -explicit only</c>.
    /// </summary>
    [Fact(Explicit = true)]
    public void WriteFixture_FromCode_RewritesTheFile()
    {
        var identities = new JsonArray();
        foreach (var (name, mnemonic, passphrase, account) in Inputs)
        {
            var entry = new JsonObject { ["name"] = name, ["mnemonic"] = mnemonic, ["passphrase"] = passphrase, ["account"] = account };
            foreach (var (key, value) in Compute(mnemonic, passphrase, account))
            {
                entry[key] = value!.DeepClone();
            }

            identities.Add(entry);
        }

        var document = new JsonObject
        {
            ["description"] = "iChat identities from BIP39 mnemonics. bip39Seed = PBKDF2-HMAC-SHA512(mnemonic, \"mnemonic\" + passphrase, 2048); " +
                              "ed25519Seed = SLIP-0010 ed25519 private key at chatPath; identity = its Ed25519 public key; " +
                              "didKey = did:key:z + base58btc(0xed 0x01 + identity); x25519PublicKey = libsodium crypto_sign_ed25519_pk_to_curve25519(identity); " +
                              "evmAddress = EIP-55 address of the BIP32 secp256k1 key at evmPath. Hex is lower case.",
            ["identities"] = identities,
        };
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        File.WriteAllText(VectorFiles.PathOf(Path.Combine("docs", "vectors", FixtureFile)), document.ToJsonString(options) + "\n");
    }

    private static JsonObject Compute(string mnemonic, string passphrase, int account)
    {
        var seed = Bip39.ToSeed(mnemonic, passphrase);
        var chatPath = ChatKeys.DerivationPathFor(account);
        var evmPath = EvmWallet.DerivationPathFor(account);
        using var ed25519 = Slip10.DeriveEd25519(seed, chatPath);
        using var keys = ChatKeys.FromSeed(seed, account);
        using var wallet = EvmWallet.FromSeed(seed, account);
        var x25519 = new byte[Sodium.BoxPublicKeyBytes];
        Assert.True(keys.Identity.TryGetEncryptionKey(x25519));
        return new JsonObject
        {
            ["bip39Seed"] = Convert.ToHexStringLower(seed),
            ["chatPath"] = chatPath,
            ["ed25519Seed"] = Convert.ToHexStringLower(ed25519.PrivateKey),
            ["identity"] = keys.Identity.ToString(),
            ["didKey"] = keys.Identity.ToDidKey(),
            ["x25519PublicKey"] = Convert.ToHexStringLower(x25519),
            ["evmPath"] = evmPath,
            ["evmAddress"] = wallet.Address,
        };
    }
}
