using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.Protocol.Tests.Settlement;

/// <summary>Reproducible random batches: addresses in lower, upper and checksum case, amounts from 0 to 2^128 − 1.</summary>
internal static class EpochBatches
{
    private static readonly UInt128 TwoTo64 = (UInt128)ulong.MaxValue + 1;

    public static EpochLeaf[] Random(int count, int seed)
    {
        var random = new Random(seed);
        var leaves = new EpochLeaf[count];
        for (var i = 0; i < count; i++)
        {
            var address = new byte[Eip55.AddressBytes];
            random.NextBytes(address);
            var text = (i % 3) switch
            {
                0 => "0x" + Convert.ToHexStringLower(address),
                1 => "0x" + Convert.ToHexString(address),
                _ => Eip55.ToChecksumAddress(address),
            };

            // Shifted kinds, so every batch has a 0 and an amount above 2^64 (leaf 0 has both).
            leaves[i] = new EpochLeaf(text, Amount(random, i), Amount(random, i + 3));
        }

        return leaves;
    }

    private static UInt128 Amount(Random random, int kind) => (kind % 5) switch
    {
        0 => UInt128.Zero,
        1 => (UInt128)random.NextInt64(1, 1_000_000) * 1_000_000_000_000_000_000UL,
        2 => (UInt128)(ulong)random.NextInt64(long.MinValue, long.MaxValue),
        3 => TwoTo64 + new UInt128((ulong)random.NextInt64(1, long.MaxValue), (ulong)random.NextInt64()),
        _ => UInt128.MaxValue,
    };
}
