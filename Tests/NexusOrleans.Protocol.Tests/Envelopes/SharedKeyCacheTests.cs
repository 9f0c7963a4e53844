using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>ChatKeys.SharedKeys.cs: the cache Seal and Open use, bounded and wiped with the keys.</summary>
public sealed class SharedKeyCacheTests
{
    [Fact]
    public void TryGetCachedSharedKey_FirstAndRepeatedLookups_GiveTheUncachedSharedKey()
    {
        using var keys = TestKeys.Random();
        var peer = TestKeys.RandomIdentity();
        var direct = new byte[32];
        var first = new byte[32];
        var repeated = new byte[32];

        Assert.True(keys.TryGetSharedKey(peer, direct));
        Assert.True(keys.TryGetCachedSharedKey(peer, first));
        Assert.True(keys.TryGetCachedSharedKey(peer, repeated));

        Assert.Equal(direct, first);
        Assert.Equal(direct, repeated);
        Assert.Equal(1, keys.CachedSharedKeyCount);
    }

    [Fact]
    public void TryGetCachedSharedKey_PeerWithoutX25519Form_ReturnsFalseAndCachesNothing()
    {
        using var keys = TestKeys.Random();

        Assert.False(keys.TryGetCachedSharedKey(PublicKey.FromBytes(new byte[32]), new byte[32]));
        Assert.Equal(0, keys.CachedSharedKeyCount);
    }

    [Fact]
    public void TryGetCachedSharedKey_MorePeersThanTheCapacity_EvictsTheLeastRecentlyUsed()
    {
        using var keys = TestKeys.Random();
        var buffer = new byte[32];
        var kept = TestKeys.RandomIdentity();
        var dropped = TestKeys.RandomIdentity();
        keys.TryGetCachedSharedKey(kept, buffer);
        keys.TryGetCachedSharedKey(dropped, buffer);

        for (var i = 0; i < ChatKeys.SharedKeyCacheCapacity; i++)
        {
            keys.TryGetCachedSharedKey(TestKeys.RandomIdentity(), buffer);
            keys.TryGetCachedSharedKey(kept, buffer);
        }

        Assert.Equal(ChatKeys.SharedKeyCacheCapacity, keys.CachedSharedKeyCount);
        Assert.True(keys.IsSharedKeyCached(kept));
        Assert.False(keys.IsSharedKeyCached(dropped));
    }

    [Fact]
    public void TryGetCachedSharedKey_AfterEviction_RecomputesTheSameKey()
    {
        using var keys = TestKeys.Random();
        var peer = TestKeys.RandomIdentity();
        var before = new byte[32];
        var after = new byte[32];
        keys.TryGetCachedSharedKey(peer, before);
        for (var i = 0; i < ChatKeys.SharedKeyCacheCapacity; i++)
        {
            keys.TryGetCachedSharedKey(TestKeys.RandomIdentity(), after);
        }

        Assert.False(keys.IsSharedKeyCached(peer));
        Assert.True(keys.TryGetCachedSharedKey(peer, after));
        Assert.Equal(before, after);
    }

    [Fact]
    public void Dispose_WithCachedKeys_EmptiesTheCacheAndRefusesFurtherUse()
    {
        var keys = TestKeys.Random();
        keys.TryGetCachedSharedKey(TestKeys.RandomIdentity(), new byte[32]);

        keys.Dispose();

        Assert.Equal(0, keys.CachedSharedKeyCount);
        Assert.Throws<ObjectDisposedException>(() => keys.TryGetCachedSharedKey(TestKeys.RandomIdentity(), new byte[32]));
    }
}
