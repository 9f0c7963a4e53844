using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NexusOrleans.Runtime.Cluster.Transport;

/// <summary>
/// Byte layout of the silo-to-silo frames (docs/CLUSTER.md is the reference). Every integer is big-endian. A frame is
/// <c>u32 length</c> (of what follows) then <c>u8 kind</c> and the body. Strings are <c>u16 length</c> + UTF-8,
/// payloads <c>u32 length</c> + bytes. Encoding builds the whole frame in one array, so a writer sends it with one
/// write under its lock and frames of concurrent calls never interleave.
/// </summary>
internal static class FrameCodec
{
    public const ushort Version = 1;
    public const int LengthSize = 4;

    public static byte[] Hello(long expectedGeneration)
    {
        var writer = Start(FrameKind.Hello);
        WriteUInt16(writer, Version);
        WriteInt64(writer, expectedGeneration);
        return Finish(writer);
    }

    public static byte[] Call(CallMessage call, bool oneWay)
    {
        var writer = Start(oneWay ? FrameKind.OneWay : FrameKind.Request);
        WriteUInt64(writer, call.CallId);
        WriteString(writer, call.Target.Type.Name);
        WriteString(writer, call.Target.Key);
        WriteString(writer, call.WireName);
        WriteInt64(writer, call.Epoch);
        WriteUInt32(writer, call.TimeoutMs);
        WritePayload(writer, call.Arguments.Span);
        return Finish(writer);
    }

    public static byte[] Response(ResponseMessage response)
    {
        var writer = Start(FrameKind.Response);
        WriteUInt64(writer, response.CallId);
        writer.Write([(byte)response.Status]);
        switch (response.Status)
        {
            case ResponseStatus.Ok:
                WritePayload(writer, response.Result.Span);
                break;
            case ResponseStatus.Error:
                WriteString(writer, response.ErrorType!);
                WriteString(writer, Truncate(response.ErrorMessage!));
                break;
            case ResponseStatus.Redirect:
                var owner = response.Owner!.Value;
                WriteInt32(writer, owner.Partition);
                WriteInt64(writer, owner.Epoch);
                writer.Write([(byte)(owner.Owner is null ? 0 : 1)]);
                if (owner.Owner is { } address)
                {
                    WriteString(writer, address.Host);
                    WriteInt32(writer, address.Port);
                    WriteInt64(writer, address.Generation);
                }

                break;
        }

        return Finish(writer);
    }

    public static (ushort Version, long ExpectedGeneration) ReadHello(ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body);
        return (reader.UInt16(), reader.Int64());
    }

    public static CallMessage ReadCall(ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body);
        var callId = reader.UInt64();
        var type = reader.String();
        var key = reader.String();
        return new CallMessage(callId, new GrainId(GrainType.Create(type), key), reader.String(), reader.Int64(), reader.UInt32(), reader.Payload());
    }

    public static ResponseMessage ReadResponse(ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body);
        var callId = reader.UInt64();
        var status = (ResponseStatus)reader.Byte();
        switch (status)
        {
            case ResponseStatus.Ok:
                return new ResponseMessage(callId, status, Result: reader.Payload());
            case ResponseStatus.Error:
                return new ResponseMessage(callId, status, ErrorType: reader.String(), ErrorMessage: reader.String());
            case ResponseStatus.Redirect:
                var partition = reader.Int32();
                var epoch = reader.Int64();
                SiloAddress? owner = reader.Byte() == 0 ? null : new SiloAddress(reader.String(), reader.Int32(), reader.Int64());
                return new ResponseMessage(callId, status, Owner: new PartitionOwner(partition, owner, epoch, IsLocal: false));
            default:
                throw new InvalidDataException($"Unknown response status {(byte)status}.");
        }
    }

    private static ArrayBufferWriter<byte> Start(FrameKind kind)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        writer.Advance(LengthSize);
        writer.Write([(byte)kind]);
        return writer;
    }

    private static byte[] Finish(ArrayBufferWriter<byte> writer)
    {
        var frame = writer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(frame.Length - LengthSize));
        return frame;
    }

    private static string Truncate(string message) => Encoding.UTF8.GetByteCount(message) <= ushort.MaxValue ? message : message[..(ushort.MaxValue / 4)];

    private static void WriteString(ArrayBufferWriter<byte> writer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"A string field of a frame is {length} bytes long in UTF-8; the limit is {ushort.MaxValue}.", nameof(value));
        }

        WriteUInt16(writer, (ushort)length);
        Encoding.UTF8.GetBytes(value, writer);
    }

    private static void WritePayload(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        WriteUInt32(writer, (uint)payload.Length);
        writer.Write(payload);
    }

    private static void WriteUInt16(ArrayBufferWriter<byte> writer, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    private static void WriteUInt64(ArrayBufferWriter<byte> writer, ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    /// <summary>Reads a frame body front to back; running past its end is a malformed frame.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> body)
    {
        private ReadOnlySpan<byte> _rest = body;

        public byte Byte() => Take(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

        public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

        public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        public ulong UInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

        public string String() => Encoding.UTF8.GetString(Take(UInt16()));

        public byte[] Payload() => Take(checked((int)UInt32())).ToArray();

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _rest.Length)
            {
                throw new InvalidDataException($"The frame ends {count - _rest.Length} bytes early.");
            }

            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }
    }
}
