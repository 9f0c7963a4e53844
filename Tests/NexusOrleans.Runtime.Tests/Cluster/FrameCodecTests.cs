using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Cluster.Transport;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>The frames are what docs/CLUSTER.md says, byte for byte, and read back into what was written.</summary>
public sealed class FrameCodecTests
{
    [Fact]
    public void Hello_Encoded_IsLengthKindVersionAndGenerationBigEndian()
    {
        var frame = FrameCodec.Hello(expectedGeneration: 0x0102030405060708);

        Assert.Equal(Convert.FromHexString("0000000B" + "01" + "0001" + "0102030405060708"), frame);
    }

    [Fact]
    public void Request_Encoded_HasDocumentedLayout()
    {
        var call = new CallMessage(5, new GrainId(GrainType.Create("inbox"), "k"), "I.M()", 7, 1000, "[]"u8.ToArray());

        var frame = FrameCodec.Call(call, oneWay: false);

        var expected = "02" + "0000000000000005" + "0005" + Convert.ToHexString("inbox"u8) + "0001" + "6B" + "0005" + Convert.ToHexString("I.M()"u8)
            + "0000000000000007" + "000003E8" + "00000002" + "5B5D";
        Assert.Equal(Convert.FromHexString($"{expected.Length / 2:X8}" + expected), frame);
        Assert.Equal(call with { Arguments = default }, FrameCodec.ReadCall(frame.AsSpan(5)) with { Arguments = default });
    }

    [Fact]
    public void RedirectResponse_ReadBack_CarriesOwnerAndEpoch()
    {
        var owner = new PartitionOwner(3, new SiloAddress("10.0.0.7", 11111, 1763726400000), 42, IsLocal: false);

        var frame = FrameCodec.Response(new ResponseMessage(9, ResponseStatus.Redirect, Owner: owner));
        var read = FrameCodec.ReadResponse(frame.AsSpan(5));

        Assert.Equal((9UL, ResponseStatus.Redirect, owner), (read.CallId, read.Status, read.Owner!.Value));
    }

    [Fact]
    public void ErrorResponse_ReadBack_CarriesTypeAndMessage()
    {
        var frame = FrameCodec.Response(ResponseMessage.Error(4, "System.ArgumentException", "amount must be positive"));
        var read = FrameCodec.ReadResponse(frame.AsSpan(5));

        Assert.Equal((4UL, ResponseStatus.Error, "System.ArgumentException", "amount must be positive"), (read.CallId, read.Status, read.ErrorType, read.ErrorMessage));
    }

    [Fact]
    public void ObserverKey_WithHost_NamesTheHostingProcess()
    {
        var host = new SiloAddress("127.0.0.1", 20001, 17);

        var key = ObserverKey.Create(host);

        Assert.Equal(host, ObserverKey.HostOf(new GrainId(GrainType.Observer, key)));
        Assert.Null(ObserverKey.HostOf(new GrainId(GrainType.Observer, ObserverKey.Create(null))));
    }
}
