using System.Text;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests.Support;

/// <summary>Envelopes and send frames for tests.</summary>
public static class Envelopes
{
    public static Envelope Seal(ChatKeys sender, PublicKey recipient, string text, DateTimeOffset createdAt, TimeSpan? lifetime = null) =>
        Envelope.Seal(sender, recipient, Encoding.UTF8.GetBytes(text), createdAt, lifetime);

    public static WireFrame SendFrame(Envelope envelope) => SendFrame(envelope.Encoded.ToArray());

    public static WireFrame SendFrame(byte[] encoded) => new() { Type = FrameTypes.Send, Envelope = encoded };

    public static string OpenText(WireFrame delivery, ChatKeys recipient) =>
        Encoding.UTF8.GetString(Envelope.Decode(delivery.Envelope!).Open(recipient));
}
