using System.Globalization;
using System.Text;

namespace NexusOrleans.Runtime;

/// <summary>The rules a grain key must follow. Keys end up in storage rows, log lines and URLs.</summary>
public static class GrainKey
{
    /// <summary>Longest accepted key, in UTF-8 bytes.</summary>
    public const int MaxUtf8Bytes = 512;

    /// <summary>Throws when <paramref name="key"/> is not a valid grain key; the message names the rule broken.</summary>
    /// <exception cref="ArgumentNullException">The key is null.</exception>
    /// <exception cref="ArgumentException">The key is empty, longer than 512 UTF-8 bytes, holds a control character or is not valid UTF-16.</exception>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("Grain key must not be empty.", nameof(key));
        }

        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsControl(c))
            {
                throw new ArgumentException(
                    $"Grain key contains the control character U+{(int)c:X4} at index {i}; control characters are not allowed.",
                    nameof(key));
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
                {
                    i++;
                    continue;
                }

                throw new ArgumentException(
                    $"Grain key has an unpaired surrogate at index {i}; keys must be valid Unicode text.", nameof(key));
            }
        }

        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes > MaxUtf8Bytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Grain key is {bytes} bytes long in UTF-8; the limit is {MaxUtf8Bytes}."),
                nameof(key));
        }
    }
}
