using System.Text;
using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// EIP-55 mixed-case checksum addresses: a hex letter is upper-case exactly when the matching nibble of
/// Keccak-256(lower-case hex address) is 8 or more, so a mistyped address is caught with high probability.
/// </summary>
public static class Eip55
{
    public const int AddressBytes = 20;

    /// <summary>"0x" and the 40 hex characters of <paramref name="address"/>, in checksum case.</summary>
    public static string ToChecksumAddress(ReadOnlySpan<byte> address)
    {
        if (address.Length != AddressBytes)
        {
            throw new ArgumentException($"An EVM address is {AddressBytes} bytes long, not {address.Length}.", nameof(address));
        }

        var hex = Convert.ToHexStringLower(address);
        var hash = Keccak.Hash256(Encoding.ASCII.GetBytes(hex));
        var result = new char[2 + hex.Length];
        result[0] = '0';
        result[1] = 'x';
        for (var i = 0; i < hex.Length; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            result[2 + i] = nibble >= 8 ? char.ToUpperInvariant(hex[i]) : hex[i];
        }

        return new string(result);
    }

    /// <summary>The checksum form of a 40-hex-character address in any case, with or without "0x".</summary>
    public static string ToChecksumAddress(string address) => ToChecksumAddress(ParseBytes(address));

    /// <summary>Whether <paramref name="address"/> is "0x" and 40 hex characters in exactly the EIP-55 checksum case.</summary>
    public static bool HasValidChecksum(string? address)
    {
        if (address is null || address.Length != 2 + 2 * AddressBytes || !address.StartsWith("0x", StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[AddressBytes];
        return Convert.FromHexString(address.AsSpan(2), bytes, out _, out _) == System.Buffers.OperationStatus.Done
               && string.Equals(ToChecksumAddress(bytes), address, StringComparison.Ordinal);
    }

    private static byte[] ParseBytes(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var hex = address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? address[2..] : address;
        var bytes = new byte[AddressBytes];
        if (hex.Length != 2 * AddressBytes
            || Convert.FromHexString(hex, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            throw new FormatException($"An EVM address is 40 hex characters, optionally after 0x; '{address}' is not.");
        }

        return bytes;
    }
}
