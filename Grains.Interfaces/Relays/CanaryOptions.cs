using System.Globalization;

namespace NexusOrleans.Grains.Relays;

/// <summary>
/// How the cluster measures relays with canary envelopes (configuration section <c>Canaries</c>): the silo's prober sends
/// one every <see cref="Interval"/> through each live relay, and the relay quality grains count one as lost when it has
/// not reached the probe within <see cref="Timeout"/>. Both sides read the same section.
/// </summary>
public sealed class CanaryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Canaries";

    /// <summary>Longest <see cref="Timeout"/>: reward epochs close two minutes after their hour (Epochs:CloseDelay), and every canary of the hour must be judged by then.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Whether this silo sends canaries. Turning it off on every silo leaves relays unmeasured (no loss or latency faults).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often one canary goes through each live relay.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A canary not delivered within this of being sent is lost.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A file holding the mnemonic of the probe sender, whose wallet pays the canaries' fees. Needed only when the network
    /// charges a fee per message (Network:FeePerMessagePerRelay): relays cannot tell canaries from mail, so they charge
    /// for them too, and an unpaid canary is refused and counted as lost against an honest relay. Fund that wallet (for
    /// example with a genesis allocation). Empty: the probe sender is a fresh identity with no wallet, fine at fee 0.
    /// </summary>
    public string ProbeMnemonicFile { get; set; } = string.Empty;

    /// <summary>Every rule these options break, each a sentence naming the setting, its value and what is allowed; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromMinutes(30))
        {
            failures.Add(Invariant($"{SectionName}:Interval must be from 00:00:01 to 00:30:00 (got {Interval})."));
        }

        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > MaxTimeout)
        {
            failures.Add(Invariant($"{SectionName}:Timeout must be from 00:00:01 to {MaxTimeout} (got {Timeout})."));
        }

        if (!string.IsNullOrEmpty(ProbeMnemonicFile) && !File.Exists(ProbeMnemonicFile))
        {
            failures.Add($"{SectionName}:ProbeMnemonicFile '{ProbeMnemonicFile}' does not exist.");
        }

        return failures;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
