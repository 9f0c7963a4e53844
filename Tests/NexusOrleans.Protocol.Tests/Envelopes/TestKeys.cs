using System.Security.Cryptography;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>Fresh identities for tests that do not need the fixed vector ones.</summary>
internal static class TestKeys
{
    public static ChatKeys Random() => ChatKeys.FromEd25519Seed(RandomNumberGenerator.GetBytes(32));

    public static PublicKey RandomIdentity()
    {
        using var keys = Random();
        return keys.Identity;
    }
}
