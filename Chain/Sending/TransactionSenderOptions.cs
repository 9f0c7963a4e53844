using Microsoft.Extensions.Options;

namespace NexusOrleans.Chain.Sending;

/// <summary>How the one-account sender prices, waits for and replaces its transactions (section <c>Chain:Sender</c>).</summary>
public sealed class TransactionSenderOptions
{
    public const string SectionName = "Chain:Sender";

    /// <summary>
    /// Blocks that must hold the transaction's block or follow it before it counts as done (the block itself is 1).
    /// 0 and 1 both mean "in a block of the canonical chain"; 2 (the default) survives a one-block reorg.
    /// </summary>
    public int Confirmations { get; set; } = 2;

    /// <summary>How often the sender asks the node for receipts and the head while waiting.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A transaction not mined this long after it (or its last replacement) was sent is replaced with higher fees.</summary>
    public TimeSpan ReplaceAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How much a replacement raises both fees, in percent of the previous attempt's (nodes require at least 10).</summary>
    public int FeeBumpPercent { get; set; } = 15;

    /// <summary>Head-room added to the node's gas estimate, in percent.</summary>
    public int GasLimitMarginPercent { get; set; } = 20;

    /// <summary>The smallest tip offered, in wei per gas, whatever recent blocks paid.</summary>
    public ulong MinPriorityFeePerGas { get; set; } = 1_000_000_000;

    /// <summary>The most this sender pays per gas, in wei; null for no cap. A fee the cap would cut fails the send instead.</summary>
    public ulong? MaxFeePerGasCap { get; set; }

    /// <summary>Blocks of eth_feeHistory the tip is taken from (their median tip).</summary>
    public int FeeHistoryBlocks { get; set; } = 5;
}

/// <summary>Checks <see cref="TransactionSenderOptions"/> at start-up.</summary>
public sealed class TransactionSenderOptionsValidator : IValidateOptions<TransactionSenderOptions>
{
    public ValidateOptionsResult Validate(string? name, TransactionSenderOptions options)
    {
        var failures = new List<string>();
        const string section = TransactionSenderOptions.SectionName;
        if (options.Confirmations is < 0 or > 128)
        {
            failures.Add($"{section}:Confirmations must be between 0 and 128 (got {options.Confirmations}).");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(1) || options.PollInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{section}:PollInterval must be between 1 ms and 5 minutes (got {options.PollInterval}).");
        }

        if (options.ReplaceAfter <= options.PollInterval || options.ReplaceAfter > TimeSpan.FromHours(6))
        {
            failures.Add($"{section}:ReplaceAfter must be longer than PollInterval and at most 6 hours (got {options.ReplaceAfter}).");
        }

        if (options.FeeBumpPercent is < 10 or > 200)
        {
            failures.Add($"{section}:FeeBumpPercent must be between 10 and 200; nodes refuse replacements below +10 % (got {options.FeeBumpPercent}).");
        }

        if (options.GasLimitMarginPercent is < 0 or > 200)
        {
            failures.Add($"{section}:GasLimitMarginPercent must be between 0 and 200 (got {options.GasLimitMarginPercent}).");
        }

        if (options.MaxFeePerGasCap is { } cap && cap < options.MinPriorityFeePerGas)
        {
            failures.Add($"{section}:MaxFeePerGasCap ({cap}) must be at least MinPriorityFeePerGas ({options.MinPriorityFeePerGas}).");
        }

        if (options.FeeHistoryBlocks is < 1 or > 1024)
        {
            failures.Add($"{section}:FeeHistoryBlocks must be between 1 and 1024 (got {options.FeeHistoryBlocks}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
