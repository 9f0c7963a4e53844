using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NexusOrleans.Chain.Serialization;
using NexusOrleans.Chain.Tests.Anvil;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.OnChain.Tests.Support;

/// <summary>
/// One anvil with the contracts deployed (account 0 deploys, 1 anchors, 2 governs) shared by a test class, and the
/// contracts file an operator would save from <c>node contracts/deploy-local.mjs</c>. Tests use fresh operators, so
/// they do not see each other's stake or claims.
/// </summary>
public sealed class ChainFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nexus-onchain-").FullName;

    public DeployedChain Chain { get; private set; } = null!;

    /// <summary>The JSON line deploy-local.mjs prints, for this deployment.</summary>
    public string ContractsFile { get; private set; } = null!;

    public Uri Rpc => Chain.Node.Endpoint;

    public async ValueTask InitializeAsync()
    {
        Chain = await DeployedChain.StartAsync();
        var deployment = Chain.Deployment;
        ContractsFile = Path.Combine(_directory, "contracts.json");
        await File.WriteAllTextAsync(ContractsFile, JsonSerializer.Serialize(new
        {
            chainId = deployment.ChainId.ToString(CultureInfo.InvariantCulture),
            deployer = deployment.Deployer,
            anchor = deployment.Anchor,
            governance = deployment.Governance,
            token = deployment.Token.Address,
            staking = deployment.Staking.Address,
            distributor = deployment.Distributor.Address,
        }) + "\n");
    }

    /// <summary>Writes a contracts file with other contents (another chain id, other addresses).</summary>
    public string WriteContractsFile(string name, ulong chainId, string token, string staking, string distributor)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, JsonSerializer.Serialize(new { chainId = chainId.ToString(CultureInfo.InvariantCulture), token, staking, distributor }));
        return path;
    }

    /// <summary>A new operator: a fresh mnemonic in a file only the test reads, its wallet given <paramref name="eth"/> ETH for gas.</summary>
    public async Task<ChainOperator> NewOperatorAsync(ulong eth = 10)
    {
        var mnemonic = Bip39.Generate();
        var file = Path.Combine(_directory, $"operator-{Guid.NewGuid():n}.mnemonic");
        await File.WriteAllTextAsync(file, mnemonic + "\n");
        using var wallet = EvmWallet.FromMnemonic(mnemonic);
        if (eth > 0)
        {
            await Chain.Node.SendAsync("anvil_setBalance", JsonValue.Create(wallet.Address), JsonValue.Create(Hex.Quantity(new BigInteger(eth) * BigInteger.Pow(10, 18))));
        }

        return new ChainOperator(mnemonic, file, wallet.Address, this);
    }

    public async ValueTask DisposeAsync()
    {
        await Chain.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>An operator's mnemonic file and wallet address, and the <c>ichat chain</c> commands it runs.</summary>
public sealed record ChainOperator(string Mnemonic, string MnemonicFile, string Address, ChainFixture Fixture)
{
    /// <summary>Runs <c>ichat chain ARGS --rpc … --contracts … -m FILE</c> in-process.</summary>
    public Task<IchatResult> ChainAsync(params string[] arguments) =>
        IchatResult.RunAsync(["chain", .. arguments, "--rpc", Fixture.Rpc.ToString(), "--contracts", Fixture.ContractsFile, "-m", MnemonicFile]);
}
