using Microsoft.Extensions.Options;

namespace NexusOrleans.Grains.Inbox;

/// <summary>Settings of the inboxes (configuration section <c>Inbox</c>).</summary>
public sealed class InboxOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Inbox";

    /// <summary>The product's promise: the relay never keeps an unread envelope longer than this.</summary>
    public static readonly TimeSpan UnreadAgeCeiling = TimeSpan.FromHours(6);

    /// <summary>
    /// Longest time an unread envelope is kept from its arrival. The relay may shorten a sender's expiry to this, never
    /// lengthen it. At most <see cref="UnreadAgeCeiling"/>.
    /// </summary>
    public TimeSpan MaxUnreadAge { get; set; } = UnreadAgeCeiling;

    /// <summary>Most unread envelopes one inbox holds.</summary>
    public int MaxEnvelopes { get; set; } = 1000;

    /// <summary>Most bytes of unread envelopes (the sum of their data lengths) one inbox holds.</summary>
    public long MaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// A subscription lapses this long after it was made or last renewed. Subscriptions live in the activation, so keep
    /// this below <c>Grains:CollectionAge</c>: renewals are calls, and they keep the activation (and its subscriptions) alive.
    /// </summary>
    public TimeSpan ObserverExpiration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most envelopes one fetch returns.</summary>
    public int MaxFetchPage { get; set; } = 100;

    /// <summary>
    /// Period of the expiry reminder: when a sweep fails, the next try comes this much later. Must be at least the
    /// runtime's <c>Reminders:MinimumPeriod</c> (one minute by default), which refuses shorter periods.
    /// </summary>
    public TimeSpan ExpiryRetryPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Checks <see cref="InboxOptions"/> at start-up.</summary>
public sealed class InboxOptionsValidator : IValidateOptions<InboxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, InboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxUnreadAge <= TimeSpan.Zero || options.MaxUnreadAge > InboxOptions.UnreadAgeCeiling)
        {
            failures.Add($"Inbox:MaxUnreadAge must be positive and at most {InboxOptions.UnreadAgeCeiling} (got {options.MaxUnreadAge}).");
        }

        if (options.MaxEnvelopes < 1)
        {
            failures.Add($"Inbox:MaxEnvelopes must be at least 1 (got {options.MaxEnvelopes}).");
        }

        if (options.MaxBytes < 1)
        {
            failures.Add($"Inbox:MaxBytes must be at least 1 (got {options.MaxBytes}).");
        }

        if (options.ObserverExpiration <= TimeSpan.Zero)
        {
            failures.Add($"Inbox:ObserverExpiration must be positive (got {options.ObserverExpiration}).");
        }

        if (options.MaxFetchPage < 1)
        {
            failures.Add($"Inbox:MaxFetchPage must be at least 1 (got {options.MaxFetchPage}).");
        }

        if (options.ExpiryRetryPeriod <= TimeSpan.Zero)
        {
            failures.Add($"Inbox:ExpiryRetryPeriod must be positive (got {options.ExpiryRetryPeriod}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
