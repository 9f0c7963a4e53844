using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Silo.Tests;

/// <summary>
/// <c>GET /v1/accounts/{address}</c> and signed <c>POST …/stake</c> and <c>…/unstake</c> on a silo started with a genesis
/// allocation (docs/PROTOCOL.md, "Staking"): what an operator's wallet, or anyone else, gets back.
/// </summary>
[Trait("Category", "E2E")]
[Collection(GenesisSiloCollection.Name)]
public sealed class StakeHttpTests(GenesisSilo silo) : IDisposable
{
    private static readonly UInt128 One = UInt128.Parse("1000000000000000000", CultureInfo.InvariantCulture);
    private readonly HttpClient _http = new() { BaseAddress = silo.Process.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task GetAccount_AfterGenesis_ShowsTheAllocationAsBalance()
    {
        var account = await GetAccountAsync(silo.Address("read"));

        Assert.Equal(silo.Address("read").ToLowerInvariant(), Text(account, "account"));
        Assert.Equal(("2500000000000000000", "2.5", "0", "0"), (Text(account, "balance"), Text(account, "balanceIchat"), Text(account, "stake"), Text(account, "stakeIchat")));
        Assert.Equal("0", Text(account, "outgoing"));
    }

    [Fact]
    public async Task GetAccount_NotAnAddress_Is400SayingWhatAnAddressIs()
    {
        var response = await _http.GetAsync("/v1/accounts/0x1234", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'0x1234' is not an account address: write 0x followed by 40 hex characters.", await ErrorAsync(response));
    }

    [Fact]
    public async Task Stake_SignedByTheAccount_MovesBalanceToStake()
    {
        using var wallet = silo.Wallet("stake");

        var response = await PostAsync(wallet.Address, "stake", Sign(wallet, StakeAction.Stake, wallet.Address, 400, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await JsonAsync(response);
        Assert.Equal(("applied", "999600", "400"), (Text(answer, "status"), Text(answer, "balanceIchat"), Text(answer, "stakeIchat")));
        Assert.Equal((400 * One).ToString(CultureInfo.InvariantCulture), Text(await GetAccountAsync(wallet.Address), "stake"));
    }

    [Fact]
    public async Task Stake_TheSameRequestAgain_IsAlreadyAppliedAndChangesNothing()
    {
        using var wallet = silo.Wallet("replay");
        var request = Sign(wallet, StakeAction.Stake, wallet.Address, 1000, DateTimeOffset.UtcNow);

        var first = await JsonAsync(await PostAsync(wallet.Address, "stake", request));
        var again = await PostAsync(wallet.Address, "stake", request);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var replayed = await JsonAsync(again);
        Assert.Equal(("applied", "alreadyApplied"), (Text(first, "status"), Text(replayed, "status")));
        Assert.Equal(Text(first, "entryId"), Text(replayed, "entryId"));
        Assert.Equal(("999000", "1000"), (Text(replayed, "balanceIchat"), Text(replayed, "stakeIchat")));
    }

    [Fact]
    public async Task Stake_SignedByAnotherWallet_Is403AndChangesNothing()
    {
        var victim = silo.Address("forged");
        using var thief = EvmWallet.FromMnemonic(Bip39.Generate());

        var response = await PostAsync(victim, "stake", Sign(thief, StakeAction.Stake, victim, 1000, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith($"The request is signed by {thief.Address}, not by {victim.ToLowerInvariant()}", await ErrorAsync(response), StringComparison.Ordinal);
        Assert.Equal("0", Text(await GetAccountAsync(victim), "stake"));
    }

    [Fact]
    public async Task Stake_SignedTenMinutesAgo_Is401AndChangesNothing()
    {
        using var wallet = silo.Wallet("skew");

        var response = await PostAsync(wallet.Address, "stake", Sign(wallet, StakeAction.Stake, wallet.Address, 1000, DateTimeOffset.UtcNow.AddMinutes(-10)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("it accepts requests signed within 00:05:00 of its clock. Sign it again now", await ErrorAsync(response), StringComparison.Ordinal);
        Assert.Equal("0", Text(await GetAccountAsync(wallet.Address), "stake"));
    }

    [Fact]
    public async Task Unstake_BeyondTheStake_Is409WithTheLedgersReasonAndChangesNothing()
    {
        using var wallet = silo.Wallet("unstake");
        var now = DateTimeOffset.UtcNow;
        var staked = await PostAsync(wallet.Address, "stake", Sign(wallet, StakeAction.Stake, wallet.Address, 100, now));

        var response = await PostAsync(wallet.Address, "unstake", Sign(wallet, StakeAction.Unstake, wallet.Address, 101, now.AddMilliseconds(1)));

        Assert.Equal(HttpStatusCode.OK, staked.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var refused = await JsonAsync(response);
        Assert.Equal("insufficientStake", Text(refused, "status"));
        Assert.Equal("The stake is 100 iChat; this entry needs 101 iChat.", Text(refused, "error"));
        Assert.Equal(("999900", "100"), (Text(refused, "balanceIchat"), Text(refused, "stakeIchat")));
    }

    [Theory]
    [InlineData("""{"amount": 5, "issuedAt": 1, "signature": "0x"}""", "amount must be a JSON string")]
    [InlineData("""{"amount": "1e6", "issuedAt": 1, "signature": "0x"}""", "amount must be the iChat to stake, above 0 with at most 18 decimals")]
    [InlineData("""{"amount": "0", "issuedAt": 1, "signature": "0x"}""", "amount must be the iChat to stake, above 0")]
    [InlineData("""{"amount": "5", "signature": "0x"}""", "issuedAt must be when the request was signed, in Unix milliseconds (got nothing)")]
    [InlineData("""{"amount": "5", "issuedAt": 1, "signature": "0x1234"}""", "signature must be the 65-byte personal_sign signature, 0x followed by 130 hex characters (got 6 characters)")]
    [InlineData("""not json""", "The body is not JSON; send {\"amount\": \"1000000\"")]
    public async Task Stake_MalformedBody_Is400SayingWhatWasWrong(string body, string expected)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await _http.PostAsync($"/v1/accounts/{silo.Address("malformed")}/stake", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, await ErrorAsync(response), StringComparison.Ordinal);
    }

    /// <summary>The request body, signed by <paramref name="wallet"/> for <paramref name="account"/>.</summary>
    private static object Sign(EvmWallet wallet, StakeAction action, string account, ulong wholeIchat, DateTimeOffset issuedAt)
    {
        var milliseconds = issuedAt.ToUnixTimeMilliseconds();
        var message = StakeMessage.Build(action, account, wholeIchat * One, (ulong)milliseconds);
        return new
        {
            amount = wholeIchat.ToString(CultureInfo.InvariantCulture),
            issuedAt = milliseconds,
            signature = "0x" + Convert.ToHexStringLower(wallet.SignPersonalMessage(message)),
        };
    }

    private Task<HttpResponseMessage> PostAsync(string address, string action, object body) =>
        _http.PostAsJsonAsync($"/v1/accounts/{address}/{action}", body, Ct);

    private async Task<JsonElement> GetAccountAsync(string address)
    {
        var response = await _http.GetAsync($"/v1/accounts/{address}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.Clone();
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response) => Text(await JsonAsync(response), "error");

    private static string? Text(JsonElement json, string name) => json.TryGetProperty(name, out var value) ? value.GetString() : null;
}
