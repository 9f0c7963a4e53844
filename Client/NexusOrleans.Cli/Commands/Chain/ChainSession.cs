using System.CommandLine;
using System.Text.Json.Nodes;
using NexusOrleans.Chain.Contracts;
using NexusOrleans.Chain.Rpc;
using NexusOrleans.Chain.Sending;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Cli.Commands.Chain;

/// <summary>A failure of a chain command that needs no more than its message: printed as one line, exit code 1.</summary>
internal sealed class ChainCommandException(string message) : Exception(message);

/// <summary>
/// One command's connection to the chain: the node (its chain id checked against the contracts file), the three
/// contracts (each checked to hold code), and the mnemonic's wallet as a transaction sender. Disposing wipes the key.
/// </summary>
internal sealed class ChainSession : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly EvmWallet _wallet;

    private ChainSession(HttpClient http, EthRpcClient rpc, EvmWallet wallet, ulong chainId, ContractAddresses addresses)
    {
        _http = http;
        _wallet = wallet;
        Rpc = rpc;
        ChainId = chainId;
        Token = new IChatTokenContract(rpc, addresses.Token);
        Staking = new RelayStakingContract(rpc, addresses.Staking);
        Distributor = new RewardDistributorContract(rpc, addresses.Distributor);
        // One confirmation: the command reports once its transaction is in a canonical block, which on anvil is at once.
        Sender = new TransactionSender(rpc, wallet, new TransactionSenderOptions { Confirmations = 1, PollInterval = TimeSpan.FromMilliseconds(250) });
    }

    public EthRpcClient Rpc { get; }

    public ulong ChainId { get; }

    public string Address => _wallet.Address;

    public IChatTokenContract Token { get; }

    public RelayStakingContract Staking { get; }

    public RewardDistributorContract Distributor { get; }

    public TransactionSender Sender { get; }

    public static async Task<ChainSession> OpenAsync(ParseResult result, ChainSettings settings, CancellationToken cancellation)
    {
        var endpoint = settings.RpcUrl(result);
        var addresses = settings.Addresses(result);
        var mnemonic = IchatCommands.ReadMnemonic(result);
        var http = new HttpClient { Timeout = RequestTimeout };
        EvmWallet? wallet = null;
        try
        {
            var rpc = new EthRpcClient(http, endpoint);
            var chainId = await rpc.ChainIdAsync(cancellation);
            if (chainId != addresses.ChainId)
            {
                throw new ChainCommandException($"The node at {endpoint} is chain {chainId}, but the contracts file is for chain {addresses.ChainId}: pass the node they were deployed on (--rpc), or the contracts of this chain (--contracts).");
            }

            foreach (var (name, address) in new[] { ("IChatToken", addresses.Token), ("RelayStaking", addresses.Staking), ("RewardDistributor", addresses.Distributor) })
            {
                if (await rpc.RequestAsync("eth_getCode", [JsonValue.Create(address), JsonValue.Create("latest")], cancellation) is not JsonValue code
                    || code.GetValue<string>() is "0x" or "")
                {
                    throw new ChainCommandException($"No contract at {address} ({name}) on chain {chainId} at {endpoint}: the contracts file is from another deployment (redeploy with contracts/deploy-local.mjs, or pass the right --contracts).");
                }
            }

            wallet = EvmWallet.FromMnemonic(mnemonic);
            return new ChainSession(http, rpc, wallet, chainId, addresses);
        }
        catch
        {
            wallet?.Dispose();
            http.Dispose();
            throw;
        }
    }

    /// <summary>Fails with a clear message when the wallet holds no ETH at all, before any transaction is tried.</summary>
    public async Task RequireGasAsync(CancellationToken cancellation)
    {
        if (await Rpc.GetBalanceAsync(Address, "latest", cancellation) == 0)
        {
            throw new ChainCommandException($"Wallet {Address} has no ETH on chain {ChainId} to pay for gas; send it some first (on a local anvil: any of its funded accounts can).");
        }
    }

    public void Dispose()
    {
        _wallet.Dispose();
        _http.Dispose();
    }
}
