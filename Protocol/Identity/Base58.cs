namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// Base58 with the bitcoin alphabet (no 0, O, I or l), as did:key's multibase "z" prefix uses it: the bytes read as one
/// big-endian number written in base 58, each leading zero byte written as '1'.
/// </summary>
public static class Base58
{
    public const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private static readonly sbyte[] Digits = BuildDigits();

    /// <summary>The base58 text of <paramref name="data"/>.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }

        // log(256) / log(58) < 1.37 digits a byte.
        var digits = new byte[(data.Length - zeros) * 137 / 100 + 1];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            var carry = (int)data[i];
            var j = 0;
            for (var k = digits.Length - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 256 * digits[k];
                digits[k] = (byte)(carry % 58);
                carry /= 58;
            }

            length = j;
        }

        var text = new char[zeros + length];
        text.AsSpan(0, zeros).Fill('1');
        for (var i = 0; i < length; i++)
        {
            text[zeros + i] = Alphabet[digits[digits.Length - length + i]];
        }

        return new string(text);
    }

    /// <summary>The bytes of base58 <paramref name="text"/>; the <see cref="FormatException"/> names the first character outside the alphabet.</summary>
    public static byte[] Decode(string text) =>
        TryDecode(text, out var bytes, out var error) ? bytes : throw new FormatException(error);

    /// <summary>The bytes of base58 <paramref name="text"/>, or false when it has a character outside the alphabet.</summary>
    public static bool TryDecode(string? text, out byte[] bytes) => TryDecode(text, out bytes, out _);

    internal static bool TryDecode(string? text, out byte[] bytes, out string error)
    {
        bytes = [];
        if (text is null)
        {
            error = "Base58 text was null.";
            return false;
        }

        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }

        // log(58) / log(256) < 0.733 bytes a digit.
        var value = new byte[(text.Length - zeros) * 733 / 1000 + 1];
        var length = 0;
        for (var i = zeros; i < text.Length; i++)
        {
            var c = text[i];
            var digit = c < 128 ? Digits[c] : -1;
            if (digit < 0)
            {
                error = $"Character {i + 1} ('{c}') is not base58: the bitcoin alphabet has only {Alphabet} (no 0, O, I or l).";
                return false;
            }

            var carry = (int)digit;
            var j = 0;
            for (var k = value.Length - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 58 * value[k];
                value[k] = (byte)(carry & 0xFF);
                carry >>= 8;
            }

            length = j;
        }

        bytes = new byte[zeros + length];
        value.AsSpan(value.Length - length).CopyTo(bytes.AsSpan(zeros));
        error = string.Empty;
        return true;
    }

    private static sbyte[] BuildDigits()
    {
        var digits = new sbyte[128];
        Array.Fill(digits, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            digits[Alphabet[i]] = (sbyte)i;
        }

        return digits;
    }
}
