// Checking a signed stake or unstake request that arrives over HTTP (docs/PROTOCOL.md, "Staking").
//
// What it guarantees. A request reaches the ledger only when every check passed, in this order, and the first failure is
// the answer: the address is an account address; the body has an amount (iChat, above 0, at most 18 decimals), an
// issued-at and a 65-byte signature; the issued-at is within Ledger:StakeRequestSkew of the silo's clock; and the
// signature, recovered over the message rebuilt from the address, amount and issued-at (StakeMessage), gives the
// account's address. The message is rebuilt here rather than taken from the caller, so what is applied is exactly what
// the wallet signed. The ledger entry id comes from the message bytes (StakeMessage.EntryId), so the same request is
// applied once however often it is sent.
//
// Answers. Malformed input is 400 and says which member is wrong and what is allowed. A request outside the clock skew
// or whose signature recovers to nothing is 401 (not authenticated: sign again); one signed by another wallet is 403
// (authenticated, but not as the account). The cheap checks come first, so a flood of unsigned junk costs no signature
// recovery; nothing here echoes or logs the signature.
using System.Globalization;
using System.Text.Json;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Silo.Ledger;

/// <summary>The JSON body of <c>POST /v1/accounts/{address}/stake</c> and <c>/unstake</c>.</summary>
/// <param name="Amount">iChat as a decimal string ("1000000", "0.5").</param>
/// <param name="IssuedAt">When the request was signed, Unix milliseconds.</param>
/// <param name="Signature">The account wallet's <c>personal_sign</c> of the message, "0x" and 130 hex characters.</param>
internal sealed record StakeRequestBody(string? Amount, long? IssuedAt, string? Signature)
{
    /// <summary>
    /// Reads the members (names in any case; others ignored), or says which one has the wrong JSON type. Read by hand
    /// rather than by the serializer, so the answer names the member and what it should be, not a .NET type.
    /// </summary>
    public static bool TryRead(JsonElement json, out StakeRequestBody body, out string error)
    {
        body = new StakeRequestBody(null, null, null);
        error = string.Empty;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = $"The body must be a JSON object: {SignedStakeRequest.ExpectedBody}.";
            return false;
        }

        foreach (var member in json.EnumerateObject())
        {
            if (member.Name.Equals("amount", StringComparison.OrdinalIgnoreCase))
            {
                if (member.Value.ValueKind != JsonValueKind.String)
                {
                    error = "amount must be a JSON string such as \"1000000\" (a JSON number cannot hold every 18-decimal amount exactly).";
                    return false;
                }

                body = body with { Amount = member.Value.GetString() };
            }
            else if (member.Name.Equals("issuedAt", StringComparison.OrdinalIgnoreCase))
            {
                if (member.Value.ValueKind != JsonValueKind.Number || !member.Value.TryGetInt64(out var issuedAt))
                {
                    error = "issuedAt must be a whole JSON number: when the request was signed, in Unix milliseconds.";
                    return false;
                }

                body = body with { IssuedAt = issuedAt };
            }
            else if (member.Name.Equals("signature", StringComparison.OrdinalIgnoreCase))
            {
                if (member.Value.ValueKind != JsonValueKind.String)
                {
                    error = "signature must be a JSON string: 0x followed by 130 hex characters.";
                    return false;
                }

                body = body with { Signature = member.Value.GetString() };
            }
        }

        return true;
    }
}

/// <summary>A request that passed every check: apply <paramref name="Amount"/> to <paramref name="Account"/> under <paramref name="EntryId"/>.</summary>
internal sealed record VerifiedStakeRequest(string Account, UInt128 Amount, string EntryId);

/// <summary>Either a verified request or the HTTP status and sentence that refuse it.</summary>
internal sealed record StakeRequestCheck(VerifiedStakeRequest? Request, int StatusCode, string? Error)
{
    public static StakeRequestCheck Refuse(int statusCode, string error) => new(null, statusCode, error);
}

/// <summary>Checks a signed stake or unstake request. See the comment at the top of this file.</summary>
internal static class SignedStakeRequest
{
    /// <summary>The JSON a client should send, quoted in the answer to a body that is not it.</summary>
    public const string ExpectedBody = "{\"amount\": \"1000000\", \"issuedAt\": <Unix milliseconds>, \"signature\": \"0x<65 bytes as 130 hex characters>\"}";

    private const int MaxEcho = 80;

    /// <summary>True when <paramref name="address"/> (any case) is an account address; <paramref name="account"/> is its ledger key.</summary>
    public static bool TryParseAccount(string? address, out string account)
    {
        account = address?.Trim().ToLowerInvariant() ?? string.Empty;
        return LedgerAccounts.IsValid(account) && account != LedgerAccounts.Treasury;
    }

    /// <summary>The sentence answering an address that is not one.</summary>
    public static string NotAnAddress(string? address) => $"'{Echo(address)}' is not an account address: write 0x followed by 40 hex characters.";

    /// <summary>
    /// Checks a request for <paramref name="action"/> on the account at <paramref name="address"/> against the silo's
    /// clock <paramref name="now"/>: the verified request, or the first failed check's status and sentence.
    /// </summary>
    public static StakeRequestCheck Verify(StakeAction action, string? address, StakeRequestBody body, DateTimeOffset now, TimeSpan skew)
    {
        var name = StakeMessage.Name(action);
        if (!TryParseAccount(address, out var account))
        {
            return StakeRequestCheck.Refuse(StatusCodes.Status400BadRequest, NotAnAddress(address));
        }

        if (!Tokens.TryParse(body.Amount, out var amount) || amount == UInt128.Zero)
        {
            return StakeRequestCheck.Refuse(
                StatusCodes.Status400BadRequest,
                $"amount must be the iChat to {name}, above 0 with at most 18 decimals, as a string such as \"1000000\" or \"0.5\" (got {Quote(body.Amount)}).");
        }

        if (body.IssuedAt is not > 0)
        {
            return StakeRequestCheck.Refuse(
                StatusCodes.Status400BadRequest,
                $"issuedAt must be when the request was signed, in Unix milliseconds (got {body.IssuedAt?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}).");
        }

        if (!TryParseSignature(body.Signature, out var signature))
        {
            return StakeRequestCheck.Refuse(
                StatusCodes.Status400BadRequest,
                $"signature must be the 65-byte personal_sign signature, 0x followed by 130 hex characters (got {body.Signature?.Length.ToString(CultureInfo.InvariantCulture) ?? "no"} characters).");
        }

        var issuedAtMs = (ulong)body.IssuedAt.Value;
        if (OutsideSkew(body.IssuedAt.Value, now, skew, out var signedAt))
        {
            return StakeRequestCheck.Refuse(
                StatusCodes.Status401Unauthorized,
                $"The request was signed at {signedAt}, and the silo's clock says {now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}: it accepts requests signed within {skew} of its clock. Sign it again now (and check your clock).");
        }

        var message = StakeMessage.Build(action, account, amount, issuedAtMs);
        var signer = EvmSignatures.RecoverPersonalMessageSigner(message, signature);
        if (signer is null)
        {
            return StakeRequestCheck.Refuse(
                StatusCodes.Status401Unauthorized,
                $"The signature does not verify: sign the ichat-{name}-v1 message of this account, amount and issuedAt with the account's wallet (EIP-191 personal_sign; v = 27 or 28, low s).");
        }

        if (!string.Equals(signer, account, StringComparison.OrdinalIgnoreCase))
        {
            return StakeRequestCheck.Refuse(
                StatusCodes.Status403Forbidden,
                $"The request is signed by {signer}, not by {account}: only the account's own wallet can {name} its tokens (or the address, amount or issuedAt sent differ from those signed).");
        }

        return new StakeRequestCheck(new VerifiedStakeRequest(account, amount, StakeMessage.EntryId(action, message)), StatusCodes.Status200OK, null);
    }

    private static bool OutsideSkew(long issuedAtMs, DateTimeOffset now, TimeSpan skew, out string signedAt)
    {
        // Beyond year 9999 a DateTimeOffset cannot hold it, and it is far outside any skew anyway.
        if (issuedAtMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            signedAt = $"{issuedAtMs.ToString(CultureInfo.InvariantCulture)} ms after 1970";
            return true;
        }

        var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(issuedAtMs);
        signedAt = issuedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return (issuedAt - now).Duration() > skew;
    }

    private static bool TryParseSignature(string? text, out byte[] signature)
    {
        signature = [];
        var hex = text is not null && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex is not { Length: 2 * EvmSignatures.SignatureBytes } || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        signature = Convert.FromHexString(hex);
        return true;
    }

    private static string Quote(string? value) => value is null ? "nothing" : $"\"{Echo(value)}\"";

    private static string Echo(string? value) => value is { Length: > MaxEcho } ? value[..MaxEcho] + "…" : value ?? string.Empty;
}
