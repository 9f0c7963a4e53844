using System.Buffers.Binary;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>
/// The 1 KiB plaintext the phones send. Its first 16 bytes say when the message was started or scheduled (a
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp of the load generator, which runs every phone), which phone sent
/// it and its number in an open-loop schedule; the recipient reads them after decrypting, so no table of messages in
/// flight is needed. The rest is filler (the ciphertext is random whatever it holds).
/// </summary>
internal static class Payload
{
    public const int Bytes = CryptoCeiling.PlaintextBytes;

    public static byte[] Create()
    {
        var plaintext = new byte[Bytes];
        plaintext.AsSpan(16).Fill((byte)'m');
        return plaintext;
    }

    public static void Stamp(Span<byte> plaintext, long timestamp, int sender, int sequence)
    {
        BinaryPrimitives.WriteInt64LittleEndian(plaintext, timestamp);
        BinaryPrimitives.WriteInt32LittleEndian(plaintext[8..], sender);
        BinaryPrimitives.WriteInt32LittleEndian(plaintext[12..], sequence);
    }

    public static long Timestamp(ReadOnlySpan<byte> plaintext) => BinaryPrimitives.ReadInt64LittleEndian(plaintext);

    public static int Sender(ReadOnlySpan<byte> plaintext) => BinaryPrimitives.ReadInt32LittleEndian(plaintext[8..]);

    public static int Sequence(ReadOnlySpan<byte> plaintext) => BinaryPrimitives.ReadInt32LittleEndian(plaintext[12..]);
}
