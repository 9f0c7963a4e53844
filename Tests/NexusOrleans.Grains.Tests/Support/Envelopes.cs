using System.Security.Cryptography;
using NexusOrleans.Grains.Inbox;

namespace NexusOrleans.Grains.Tests.Support;

/// <summary>Test envelopes: random ids and keys of the right shape, data of a chosen size.</summary>
public static class Envelopes
{
    public static string NewIdentity() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static InboxEnvelope Create(DateTimeOffset now, TimeSpan lifetime, int size = 64, string? id = null) => new(
        id ?? NewIdentity(),
        NewIdentity(),
        now,
        now + lifetime,
        RandomNumberGenerator.GetBytes(size));
}
