using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NexusOrleans.Silo.Chain;

/// <summary>Where the iChat contracts are (section <c>Chain:Contracts</c>); each an EVM address, 0x + 40 hex.</summary>
public sealed class ChainContractsOptions
{
    public const string SectionName = "Chain:Contracts";

    public string? Distributor { get; set; }

    public string? Staking { get; set; }

    public string? Token { get; set; }
}

/// <summary>
/// The anchor account's private key (section <c>Chain:Anchor</c>): <c>KeyFile</c>, a file holding "0x" + 64 hex
/// characters, or <c>Key</c> itself (for an environment variable, <c>Chain__Anchor__Key</c>). Never logged.
/// </summary>
public sealed class AnchorAccountOptions
{
    public const string SectionName = "Chain:Anchor";

    public string? KeyFile { get; set; }

    public string? Key { get; set; }

    /// <summary>The 32 key bytes, or a message saying what is wrong (never containing the key).</summary>
    internal (byte[]? Key, string? Problem) Read()
    {
        var hasFile = !string.IsNullOrWhiteSpace(KeyFile);
        var hasKey = !string.IsNullOrWhiteSpace(Key);
        if (hasFile == hasKey)
        {
            return (null, hasFile
                ? $"{SectionName}:KeyFile and {SectionName}:Key are both set; set exactly one."
                : $"{SectionName}:KeyFile (a file holding the anchor account's private key as 0x + 64 hex) or {SectionName}:Key must be set when Chain:Rpc:Endpoint is.");
        }

        string text;
        var source = hasFile ? $"{SectionName}:KeyFile ({KeyFile})" : $"{SectionName}:Key";
        if (hasFile)
        {
            try
            {
                text = File.ReadAllText(KeyFile!);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return (null, $"{source} cannot be read: {exception.Message}");
            }
        }
        else
        {
            text = Key!;
        }

        text = text.Trim();
        return ChainSiloValidation.PrivateKey().IsMatch(text)
            ? (Convert.FromHexString(text.AsSpan(2)), null)
            : (null, $"{source} does not hold a private key: expected 0x followed by 64 hex characters.");
    }
}

internal static partial class ChainSiloValidation
{
    [GeneratedRegex("^0x[0-9a-fA-F]{64}$")]
    public static partial Regex PrivateKey();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    public static partial Regex Address();
}

internal sealed class ChainContractsOptionsValidator : IValidateOptions<ChainContractsOptions>
{
    public ValidateOptionsResult Validate(string? name, ChainContractsOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, value) in new[] { ("Distributor", options.Distributor), ("Staking", options.Staking), ("Token", options.Token) })
        {
            if (value is null || !ChainSiloValidation.Address().IsMatch(value.Trim()))
            {
                failures.Add($"{ChainContractsOptions.SectionName}:{key} must be the contract's address, 0x followed by 40 hex characters (got \"{value}\").");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class AnchorAccountOptionsValidator : IValidateOptions<AnchorAccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AnchorAccountOptions options)
    {
        var (key, problem) = options.Read();
        if (key is not null)
        {
            Array.Clear(key);
        }

        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }
}
