using System.Buffers;
using System.Buffers.Binary;

namespace NexusOrleans.Runtime.Cluster.Transport;

/// <summary>Reads whole frames from a stream; one reader per connection.</summary>
internal sealed class FrameStream(Stream stream, int maxFrameBytes)
{
    private readonly byte[] _length = new byte[FrameCodec.LengthSize];

    /// <summary>The next frame's kind and body (a rented buffer the caller returns), or null at a clean end of stream.</summary>
    public async Task<(FrameKind Kind, byte[] Buffer, int Length)?> ReadAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(_length, _length.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < _length.Length)
        {
            throw new EndOfStreamException("The connection closed inside a frame header.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(_length);
        if (length < 1 || length > (uint)maxFrameBytes)
        {
            throw new InvalidDataException($"A frame of {length} bytes arrived; frames are 1 to {maxFrameBytes} bytes (Cluster:MaxFrameBytes).");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await stream.ReadExactlyAsync(buffer.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return ((FrameKind)buffer[0], buffer, (int)length);
    }
}
