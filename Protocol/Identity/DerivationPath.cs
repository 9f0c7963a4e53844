using System.Globalization;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// BIP32 derivation paths such as <c>m/44'/60'/0'/0/0</c>: "m", then up to 255 indices of 0 to 2^31-1, each marked
/// hardened by a trailing <c>'</c> (or <c>h</c>/<c>H</c>, as some wallets write it).
/// </summary>
public static class DerivationPath
{
    /// <summary>Added to an index to make it hardened (BIP32's 2^31).</summary>
    public const uint HardenedOffset = 0x8000_0000;

    /// <summary>BIP32 serialises depth in one byte.</summary>
    public const int MaxDepth = 255;

    private const string Shape = "a derivation path is 'm' followed by '/index' segments, an index being 0 to 2147483647 with ' for hardened, e.g. m/44'/60'/0'/0/0";

    /// <summary>Whether <paramref name="index"/> is hardened.</summary>
    public static bool IsHardened(uint index) => index >= HardenedOffset;

    /// <summary>The indices of <paramref name="path"/>, hardened ones with <see cref="HardenedOffset"/> added; the <see cref="FormatException"/> says what is wrong.</summary>
    public static uint[] Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        if (segments[0] != "m")
        {
            throw new FormatException($"'{path}' does not start with 'm': {Shape}.");
        }

        if (segments.Length - 1 > MaxDepth)
        {
            throw new FormatException($"'{path}' is {segments.Length - 1} levels deep; BIP32 allows at most {MaxDepth}.");
        }

        var indices = new uint[segments.Length - 1];
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var hardened = segment.Length > 0 && segment[^1] is '\'' or 'h' or 'H';
            var digits = hardened ? segment[..^1] : segment;
            if (digits.Length == 0)
            {
                throw new FormatException($"Segment {i} of '{path}' is empty: {Shape}.");
            }

            if (!digits.All(char.IsAsciiDigit))
            {
                throw new FormatException($"Segment {i} of '{path}' ('{segment}') is not a number: {Shape}.");
            }

            if (!uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value >= HardenedOffset)
            {
                throw new FormatException($"Segment {i} of '{path}' ('{segment}') is out of range: an index is 0 to 2147483647, with ' for hardened.");
            }

            indices[i - 1] = hardened ? value | HardenedOffset : value;
        }

        return indices;
    }
}
