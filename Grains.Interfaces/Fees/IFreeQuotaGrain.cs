using System.Globalization;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Fees;

/// <summary>
/// The free messages of one identity on one UTC day (key: <see cref="FreeQuotas.Key"/>), the network's
/// <c>DailyFreeMessages</c>. Each message id is counted at most once, however many relays it goes through and however
/// often it is resent, so the five copies of one message use one free message, and a resend of a free message stays free.
/// </summary>
/// <remarks>
/// The day is the envelope's created-at date (UTC), not a relay's clock, so every relay counts a message on the same day.
/// The state holds at most the day's limit of ids and is deleted once no message of that day can still be sent (every
/// envelope expires within 6 hours). The grain type is <c>free-quota</c>.
/// </remarks>
public interface IFreeQuotaGrain : IGrain
{
    /// <summary>
    /// Counts <paramref name="messageId"/> against the day's <paramref name="dailyLimit"/> free messages: true when the
    /// message is free (counted now, or counted before), false when the day's free messages are used up by other ids.
    /// </summary>
    /// <exception cref="ArgumentException">The message id is not 64 lowercase hex characters, or the limit is negative.</exception>
    Task<bool> TryUse(string messageId, int dailyLimit);
}

/// <summary>Keys of <see cref="IFreeQuotaGrain"/>.</summary>
public static class FreeQuotas
{
    /// <summary>The date format of a key's day.</summary>
    public const string DayFormat = "yyyy-MM-dd";

    /// <summary><c>{identity}:{yyyy-MM-dd}</c>: the identity (64 lowercase hex) and the UTC date of <paramref name="createdAt"/>.</summary>
    public static string Key(string identity, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return $"{identity}:{createdAt.UtcDateTime.ToString(DayFormat, CultureInfo.InvariantCulture)}";
    }

    /// <summary>Splits a key into its identity and day; false when it is not <c>{64 lowercase hex}:{yyyy-MM-dd}</c>.</summary>
    public static bool TryParseKey(string? key, out string identity, out DateOnly day)
    {
        identity = string.Empty;
        day = default;
        if (key is not { Length: 64 + 1 + 10 } || key[64] != ':'
            || !DateOnly.TryParseExact(key.AsSpan(65), DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return false;
        }

        foreach (var c in key.AsSpan(0, 64))
        {
            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        identity = key[..64];
        return true;
    }

    /// <summary>The free quota grain of <paramref name="identity"/> for the day <paramref name="createdAt"/> falls on.</summary>
    public static IFreeQuotaGrain GetFreeQuota(this IGrainFactory grains, string identity, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IFreeQuotaGrain>(Key(identity, createdAt));
    }
}
