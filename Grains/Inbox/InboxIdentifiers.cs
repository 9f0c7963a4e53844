namespace NexusOrleans.Grains.Inbox;

/// <summary>The shape of identities and message ids: 64 lowercase hex characters (32 bytes).</summary>
internal static class InboxIdentifiers
{
    public const int Length = 64;

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws when <paramref name="value"/> is not 64 lowercase hex characters. The value itself is not echoed.</summary>
    public static void Require(string? value, string what, string parameterName)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException(
                $"{what} must be {Length} lowercase hex characters (got {(value is null ? "null" : $"{value.Length} characters")}).",
                parameterName);
        }
    }
}
