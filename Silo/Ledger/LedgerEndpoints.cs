using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime;

namespace NexusOrleans.Silo.Ledger;

/// <summary>
/// Ledger accounts over HTTP: <c>GET /v1/accounts/{address}</c> (balance, stake, outgoing) and
/// <c>POST /v1/accounts/{address}/stake</c> and <c>/unstake</c> with a request signed by the account's wallet
/// (docs/PROTOCOL.md, "Staking"; checks in <see cref="SignedStakeRequest"/>). Amounts are base units as decimal strings
/// (JSON numbers cannot hold 18-decimal amounts exactly), with the iChat amount beside them for people.
/// </summary>
/// <remarks>
/// A request the ledger applies answers 200 with its status (<c>applied</c>, or <c>alreadyApplied</c> for the same
/// signed request again) and the account's amounts after it; one the ledger refuses (<c>insufficientBalance</c>,
/// <c>insufficientStake</c>) answers 409 with the ledger's reason and changes nothing.
/// </remarks>
public static partial class LedgerEndpoints
{
    /// <summary>Largest request body accepted: the JSON of a request is about 250 bytes.</summary>
    public const int MaxBodyBytes = 4096;

    private const string LogCategory = "NexusOrleans.Silo.Ledger";

    /// <summary>Maps the ledger endpoints.</summary>
    public static IEndpointRouteBuilder MapLedger(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/v1/accounts/{address}", async (string address, IGrainFactory grains) =>
            SignedStakeRequest.TryParseAccount(address, out var account)
                ? Results.Ok(AccountView.Of(await grains.GetGrain<IAccountGrain>(account).GetAccount()))
                : Results.BadRequest(new { error = SignedStakeRequest.NotAnAddress(address) }));
        foreach (var action in new[] { StakeAction.Stake, StakeAction.Unstake })
        {
            endpoints.MapPost($"/v1/accounts/{{address}}/{StakeMessage.Name(action)}", (string address, HttpRequest request, IGrainFactory grains,
                    TimeProvider time, IOptions<LedgerOptions> options, ILoggerFactory logs) =>
                    MoveAsync(action, address, request, grains, time, options.Value, logs.CreateLogger(LogCategory)))
                .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        }

        return endpoints;
    }

    private static async Task<IResult> MoveAsync(
        StakeAction action, string address, HttpRequest request, IGrainFactory grains, TimeProvider time, LedgerOptions options, ILogger logger)
    {
        StakeRequestBody body;
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (!StakeRequestBody.TryRead(json.RootElement, out body, out var error))
            {
                return Results.BadRequest(new { error });
            }
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = $"The body is not JSON; send {SignedStakeRequest.ExpectedBody}." });
        }

        var check = SignedStakeRequest.Verify(action, address, body, time.GetUtcNow(), options.StakeRequestSkew);
        if (check.Request is not { } verified)
        {
            LogRejected(logger, StakeMessage.Name(action), check.StatusCode, check.Error ?? string.Empty);
            return Results.Json(new { error = check.Error }, statusCode: check.StatusCode);
        }

        var account = grains.GetGrain<IAccountGrain>(verified.Account);
        var result = action == StakeAction.Stake
            ? await account.Stake(verified.EntryId, verified.Amount)
            : await account.Unstake(verified.EntryId, verified.Amount);
        var now = await account.GetAccount();
        var status = JsonNamingPolicy.CamelCase.ConvertName(result.Status.ToString());
        LogApplied(logger, StakeMessage.Name(action), verified.Account, verified.EntryId, status);
        var view = AccountView.Of(now) with { Status = status, EntryId = result.EntryId, Error = result.Succeeded ? null : result.Reason };
        return Results.Json(view, statusCode: result.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
    }

    [LoggerMessage(EventId = 2520, Level = LogLevel.Information, Message = "Ledger: {Action} request {EntryId} of {Account} answered {Status}")]
    private static partial void LogApplied(ILogger logger, string action, string account, string entryId, string status);

    [LoggerMessage(EventId = 2521, Level = LogLevel.Debug, Message = "Ledger: {Action} request rejected with {StatusCode}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string action, int statusCode, string reason);
}

/// <summary>
/// An account as the endpoints write it; <see cref="Status"/>, <see cref="EntryId"/> and <see cref="Error"/> only in
/// answers to a stake or unstake request.
/// </summary>
internal sealed record AccountView(string Account, string Balance, string Stake, string Outgoing, string BalanceIchat, string StakeIchat)
{
    [JsonPropertyOrder(-3)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    [JsonPropertyOrder(-2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EntryId { get; init; }

    public static AccountView Of(AccountSnapshot account) => new(
        account.Account,
        account.Balance.ToString(CultureInfo.InvariantCulture),
        account.Stake.ToString(CultureInfo.InvariantCulture),
        account.Outgoing.ToString(CultureInfo.InvariantCulture),
        Tokens.Format(account.Balance),
        Tokens.Format(account.Stake));
}
