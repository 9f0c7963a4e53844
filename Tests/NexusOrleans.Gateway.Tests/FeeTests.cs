using NexusOrleans.Client;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime;

namespace NexusOrleans.Gateway.Tests;

/// <summary>
/// Message fees through real gateways in front of one silo: who pays, who is paid, how often, and what happens when
/// the sender cannot pay or the recipient's inbox refuses.
/// </summary>
public sealed class FeeTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly UInt128 Fee = Tokens.One / 100;
    private RelayCluster? _cluster;

    private RelayCluster Cluster => _cluster ?? throw new InvalidOperationException("Start the cluster first.");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Send_WithFeeZero_TouchesNoAccountAndNoFreeQuota()
    {
        await StartAsync(gateways: 2, fee: "0", settings: new() { ["Network:DailyFreeMessages"] = "5" });
        using var alice = await PayerAsync(fund: Tokens.One);
        using var bob = RawPhone.NewKeys();
        await using var viaFirst = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, wallet: alice.Binding);
        await using var viaSecond = await RawPhone.ConnectAsync(Cluster.Endpoints[1], alice.Keys, wallet: alice.Binding);
        var envelope = Envelopes.Seal(alice.Keys, bob.Identity, "free network", Cluster.Clock.GetUtcNow());

        var first = await viaFirst.RequestAsync(Envelopes.SendFrame(envelope));
        var second = await viaSecond.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal((FrameTypes.Ok, ErrorCodes.Duplicate), (first.Type, second.Code));
        Assert.Equal(Tokens.One, await BalanceAsync(alice.Account));
        Assert.False(await HasStateAsync("account", Operator(0)));
        Assert.False(await HasStateAsync("account", Operator(1)));
        Assert.False(await HasStateAsync("free-quota", $"{alice.Keys.Identity}:2026-01-01"));
    }

    [Fact]
    public async Task Send_OneMessageThroughTwoGateways_ChargesOneFeePerGatewayToItsOperator()
    {
        await StartAsync(gateways: 2);
        using var alice = await PayerAsync(fund: Tokens.One);
        using var bob = RawPhone.NewKeys();
        await using var viaFirst = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, wallet: alice.Binding);
        await using var viaSecond = await RawPhone.ConnectAsync(Cluster.Endpoints[1], alice.Keys, wallet: alice.Binding);
        var envelope = Envelopes.Seal(alice.Keys, bob.Identity, "paid twice, stored once", Cluster.Clock.GetUtcNow());

        var first = await viaFirst.RequestAsync(Envelopes.SendFrame(envelope));
        var second = await viaSecond.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal((FrameTypes.Ok, ErrorCodes.Duplicate), (first.Type, second.Code));
        Assert.Equal(Tokens.One - (2 * Fee), await BalanceAsync(alice.Account));
        Assert.Equal(Fee, await SettledBalanceAsync(Operator(0), Fee));
        Assert.Equal(Fee, await SettledBalanceAsync(Operator(1), Fee));
    }

    [Fact]
    public async Task Send_TheSameMessageAgainThroughTheSameGateway_IsChargedOnce()
    {
        await StartAsync(gateways: 1);
        using var alice = await PayerAsync(fund: Tokens.One);
        using var bob = RawPhone.NewKeys();
        var envelope = Envelopes.Seal(alice.Keys, bob.Identity, "once is enough", Cluster.Clock.GetUtcNow());
        await using var phone = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, wallet: alice.Binding);
        await using var secondConnection = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, wallet: alice.Binding);

        var first = await phone.RequestAsync(Envelopes.SendFrame(envelope));
        var again = await phone.RequestAsync(Envelopes.SendFrame(envelope));
        var elsewhere = await secondConnection.RequestAsync(Envelopes.SendFrame(envelope));

        Assert.Equal((FrameTypes.Ok, ErrorCodes.Duplicate, ErrorCodes.Duplicate), (first.Type, again.Code, elsewhere.Code));
        Assert.Equal(Tokens.One - Fee, await BalanceAsync(alice.Account));
        Assert.Equal(Fee, await SettledBalanceAsync(Operator(0), Fee));
    }

    [Fact]
    public async Task Send_WithLessThanTheFee_IsPaymentRequiredNamingBothAmountsAndIsNotStored()
    {
        await StartAsync(gateways: 1);
        using var alice = await PayerAsync(fund: Fee / 2);
        using var bob = RawPhone.NewKeys();
        await using var phone = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, wallet: alice.Binding);

        var answer = await phone.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Identity, "on credit?", Cluster.Clock.GetUtcNow())));

        Assert.Equal(ErrorCodes.PaymentRequired, answer.Code);
        Assert.Equal(
            $"This relay charges 0.01 iChat per message, and wallet {alice.Wallet.Address} holds 0.005 iChat. Nothing was stored; fund the wallet and send again.",
            answer.Message);
        Assert.Empty((await Cluster.Grains.GetGrain<IInboxGrain>(bob.Identity.ToString()).Fetch(0, 10)).Envelopes);
        Assert.Equal(Fee / 2, await BalanceAsync(alice.Account));
    }

    [Fact]
    public async Task Send_WithNoWalletBound_IsPaymentRequiredAndNotStored()
    {
        await StartAsync(gateways: 1);
        using var bob = RawPhone.NewKeys();
        await using var alice = await RawPhone.ConnectAsync(Cluster.Endpoints[0]);

        var answer = await alice.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Identity, "who pays?", Cluster.Clock.GetUtcNow())));

        Assert.Equal(ErrorCodes.PaymentRequired, answer.Code);
        Assert.Contains("bind a wallet in auth to pay fees", answer.Message, StringComparison.Ordinal);
        Assert.Empty((await Cluster.Grains.GetGrain<IInboxGrain>(bob.Identity.ToString()).Fetch(0, 10)).Envelopes);
    }

    [Fact]
    public async Task Auth_WithAValidBinding_IsAcceptedAndEchoesTheWallet()
    {
        await StartAsync(gateways: 1);
        using var alice = await PayerAsync(fund: UInt128.Zero);
        await using var phone = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, authenticate: false);

        var answer = await phone.RequestAsync(phone.AuthFrame(alice.Binding));

        Assert.Equal((FrameTypes.Ok, alice.Keys.Identity.ToString(), alice.Wallet.Address), (answer.Type, answer.Identity, answer.Wallet));
    }

    [Fact]
    public async Task Auth_WithABindingSignedByAnotherWallet_IsInvalidAndLeavesTheConnectionUnauthenticated()
    {
        await StartAsync(gateways: 1);
        using var alice = await PayerAsync(fund: UInt128.Zero);
        using var mallory = EvmWallet.FromMnemonic(Bip39.Generate());
        await using var phone = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, authenticate: false);
        var auth = phone.AuthFrame(alice.Binding);
        auth.Wallet = mallory.Address;

        var answer = await phone.RequestAsync(auth);
        var send = await phone.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, alice.Keys.Identity, "me?", Cluster.Clock.GetUtcNow())));

        Assert.Equal(ErrorCodes.Invalid, answer.Code);
        Assert.StartsWith("The wallet binding does not verify: it was signed by 0x", answer.Message, StringComparison.Ordinal);
        Assert.Contains($"not by {mallory.Address}", answer.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.Unauthorized, send.Code);
    }

    [Fact]
    public async Task Auth_WithABindingMadeForAnotherIdentity_IsInvalid()
    {
        await StartAsync(gateways: 1);
        using var alice = await PayerAsync(fund: UInt128.Zero);
        await using var mallory = await RawPhone.ConnectAsync(Cluster.Endpoints[0], authenticate: false);

        var answer = await mallory.RequestAsync(mallory.AuthFrame(alice.Binding));

        Assert.Equal(ErrorCodes.Invalid, answer.Code);
        Assert.Contains("does not verify", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_WithAWalletButNoWalletSignature_IsInvalid()
    {
        await StartAsync(gateways: 1);
        using var alice = await PayerAsync(fund: UInt128.Zero);
        await using var phone = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, authenticate: false);
        var auth = phone.AuthFrame(alice.Binding);
        auth.WalletSignature = null;

        var answer = await phone.RequestAsync(auth);

        Assert.Equal(ErrorCodes.Invalid, answer.Code);
        Assert.StartsWith("'wallet' and 'walletSignature' go together", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WithOneFreeMessageADay_FirstIsFreeSecondIsChargedAndResendsOfTheFirstStayFree()
    {
        await StartAsync(gateways: 2, settings: new() { ["Network:DailyFreeMessages"] = "1" });
        using var alice = await PayerAsync(fund: Tokens.One);
        using var bob = RawPhone.NewKeys();
        await using var viaFirst = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, wallet: alice.Binding);
        await using var viaSecond = await RawPhone.ConnectAsync(Cluster.Endpoints[1], alice.Keys, wallet: alice.Binding);
        var free = Envelopes.Seal(alice.Keys, bob.Identity, "on the house", Cluster.Clock.GetUtcNow());
        var paid = Envelopes.Seal(alice.Keys, bob.Identity, "on me", Cluster.Clock.GetUtcNow());

        Assert.Equal(FrameTypes.Ok, (await viaFirst.RequestAsync(Envelopes.SendFrame(free))).Type);
        Assert.Equal(ErrorCodes.Duplicate, (await viaSecond.RequestAsync(Envelopes.SendFrame(free))).Code);
        var afterFree = await BalanceAsync(alice.Account);
        Assert.Equal(FrameTypes.Ok, (await viaFirst.RequestAsync(Envelopes.SendFrame(paid))).Type);
        var afterPaid = await BalanceAsync(alice.Account);
        Assert.Equal(ErrorCodes.Duplicate, (await viaFirst.RequestAsync(Envelopes.SendFrame(free))).Code);

        Assert.Equal(Tokens.One, afterFree);
        Assert.Equal(Tokens.One - Fee, afterPaid);
        Assert.Equal(Tokens.One - Fee, await BalanceAsync(alice.Account));
        Assert.False(await HasStateAsync("account", Operator(1)));
    }

    [Fact]
    public async Task Send_WithNoWalletAndOneFreeMessageADay_SendsOneThenIsPaymentRequired()
    {
        await StartAsync(gateways: 1, settings: new() { ["Network:DailyFreeMessages"] = "1" });
        using var bob = RawPhone.NewKeys();
        await using var alice = await RawPhone.ConnectAsync(Cluster.Endpoints[0]);

        var first = await alice.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Identity, "one", Cluster.Clock.GetUtcNow())));
        var second = await alice.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Identity, "two", Cluster.Clock.GetUtcNow())));

        Assert.Equal(FrameTypes.Ok, first.Type);
        Assert.Equal(ErrorCodes.PaymentRequired, second.Code);
        Assert.StartsWith("This relay charges 0.01 iChat per message beyond the day's 1 free message, and this connection has no wallet", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ToAFullInbox_IsRefunded()
    {
        await StartAsync(gateways: 1, settings: new() { ["Inbox:MaxEnvelopes"] = "1" });
        using var alice = await PayerAsync(fund: Tokens.One);
        using var bob = RawPhone.NewKeys();
        await using var phone = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, wallet: alice.Binding);
        Assert.Equal(FrameTypes.Ok, (await phone.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Identity, "fills it", Cluster.Clock.GetUtcNow())))).Type);

        var refused = await phone.RequestAsync(Envelopes.SendFrame(Envelopes.Seal(alice.Keys, bob.Identity, "no room", Cluster.Clock.GetUtcNow())));

        Assert.Equal(ErrorCodes.InboxFull, refused.Code);
        Assert.Equal(Tokens.One - Fee, await SettledBalanceAsync(alice.Account, Tokens.One - Fee));
        Assert.Equal(Fee, await SettledBalanceAsync(Operator(0), Fee));
    }

    [Fact]
    public async Task Send_RefusedAndRefundedThenResentOnceThereIsRoom_IsChargedAgain()
    {
        await StartAsync(gateways: 1, settings: new() { ["Inbox:MaxEnvelopes"] = "1" });
        using var alice = await PayerAsync(fund: Tokens.One);
        await using var bob = await RawPhone.ConnectAsync(Cluster.Endpoints[0]);
        await using var phone = await RawPhone.ConnectAsync(Cluster.Endpoints[0], alice.Keys, wallet: alice.Binding);
        var filler = Envelopes.Seal(alice.Keys, bob.Keys.Identity, "fills it", Cluster.Clock.GetUtcNow());
        var later = Envelopes.Seal(alice.Keys, bob.Keys.Identity, "when there is room", Cluster.Clock.GetUtcNow());
        await phone.RequestAsync(Envelopes.SendFrame(filler));
        Assert.Equal(ErrorCodes.InboxFull, (await phone.RequestAsync(Envelopes.SendFrame(later))).Code);
        await SettledBalanceAsync(alice.Account, Tokens.One - Fee);
        await bob.RequestAsync(new WireFrame { Type = FrameTypes.Ack, MessageIds = [filler.Id.ToString()] });

        var resent = await phone.RequestAsync(Envelopes.SendFrame(later));

        Assert.Equal(FrameTypes.Ok, resent.Type);
        Assert.Equal(Tokens.One - (2 * Fee), await BalanceAsync(alice.Account));
        Assert.Equal(2 * Fee, await SettledBalanceAsync(Operator(0), 2 * Fee));
    }

    [Fact]
    public async Task ChatClient_WithAWalletBinding_PaysTheFeeOfEachRelay()
    {
        await StartAsync(gateways: 2);
        using var alice = await PayerAsync(fund: Tokens.One);
        using var bob = RawPhone.NewKeys();
        var options = new ChatClientOptions { TimeProvider = Cluster.Clock, TargetConnections = 2, DiscoverRelays = false, WalletBinding = alice.Binding };
        await using var client = await ChatClient.ConnectAsync(alice.Keys, Cluster.Endpoints, options, Ct);

        var sent = await client.SendTextAsync(bob.Identity, "paid for", Ct);

        Assert.Equal(2, sent.AcceptedBy.Count);
        Assert.Equal(Tokens.One - (2 * Fee), await BalanceAsync(alice.Account));
    }

    [Fact]
    public async Task ChatClient_WithoutAWalletBinding_FailsWithPaymentRequired()
    {
        await StartAsync(gateways: 2);
        using var alice = RawPhone.NewKeys();
        using var bob = RawPhone.NewKeys();
        var options = new ChatClientOptions { TimeProvider = Cluster.Clock, TargetConnections = 2, DiscoverRelays = false };
        await using var client = await ChatClient.ConnectAsync(alice, Cluster.Endpoints, options, Ct);

        var error = await Assert.ThrowsAsync<SendFailedException>(() => client.SendTextAsync(bob.Identity, "unpaid", Ct));

        Assert.Equal(ErrorCodes.PaymentRequired, error.Code);
    }

    [Fact]
    public async Task ChatClient_WithABindingForAnotherIdentity_IsRefusedBeforeConnecting()
    {
        await StartAsync(gateways: 1);
        using var alice = await PayerAsync(fund: UInt128.Zero);
        using var bob = RawPhone.NewKeys();
        var options = new ChatClientOptions { TimeProvider = Cluster.Clock, WalletBinding = alice.Binding };

        await Assert.ThrowsAsync<ArgumentException>(() => ChatClient.ConnectAsync(bob, Cluster.Endpoints, options, Ct));
    }

    private async Task StartAsync(int gateways, string fee = "0.01", Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Network:FeePerMessagePerRelay"] = fee;
        _cluster = await RelayCluster.StartAsync(gateways: gateways, settings: settings);
    }

    private async Task<Payer> PayerAsync(UInt128 fund)
    {
        var payer = new Payer(RawPhone.NewKeys(), EvmWallet.FromMnemonic(Bip39.Generate()));
        if (fund > UInt128.Zero)
        {
            var minted = await Cluster.Grains.GetGrain<ISupplyGrain>(LedgerAccounts.Supply).Mint($"mint-{Guid.NewGuid():n}", payer.Account, fund);
            Assert.Equal(EntryStatus.Applied, minted.Status);
            await SettledBalanceAsync(payer.Account, fund);
        }

        return payer;
    }

    private string Operator(int gateway) => LedgerAccounts.Normalize(Cluster.OperatorWallets[gateway]);

    private async Task<UInt128> BalanceAsync(string account) =>
        (await Cluster.Grains.GetGrain<IAccountGrain>(account).GetAccount()).Balance;

    // A credit normally lands before the debit's call returns, but may lag it by up to Ledger:CreditWait; the amount
    // returned is the one that settled (or the last one seen), for the caller to assert on.
    private async Task<UInt128> SettledBalanceAsync(string account, UInt128 expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        UInt128 balance;
        while ((balance = await BalanceAsync(account)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        return balance;
    }

    private async Task<bool> HasStateAsync(string grainType, string key) =>
        await Cluster.Storage.ReadAsync(new GrainId(GrainType.Create(grainType), key), "state", Ct) is { Payload: not null };

    private sealed class Payer(ChatKeys keys, EvmWallet wallet) : IDisposable
    {
        public ChatKeys Keys { get; } = keys;

        public EvmWallet Wallet { get; } = wallet;

        public string Account { get; } = LedgerAccounts.Normalize(wallet.Address);

        public WalletBinding Binding { get; } = WalletBinding.Create(wallet, keys.Identity);

        public void Dispose()
        {
            Keys.Dispose();
            Wallet.Dispose();
        }
    }
}
