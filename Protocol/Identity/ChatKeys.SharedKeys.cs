using NexusOrleans.Protocol.Crypto;

namespace NexusOrleans.Protocol.Identity;

/// <summary>
/// A bounded cache of X25519 shared keys, one per peer, so a phone that exchanges many messages with the same
/// contacts does one scalar multiplication per contact rather than one per message.
/// </summary>
/// <remarks>
/// <para>
/// Guarantees. At most <see cref="SharedKeyCacheCapacity"/> peers are held; the least recently used is evicted and its
/// key wiped. Every cached key is wiped by <see cref="Dispose"/>, and no key is cached after it. Lookups from many
/// threads are safe: the list and the table change only under <c>_sharedKeysLock</c>, and a key is copied out while
/// the lock is held, so an eviction can never wipe a key another thread is still reading.
/// </para>
/// <para>
/// Why compute outside the lock. <c>crypto_box_beforenm</c> costs tens of microseconds; holding the lock through it
/// would queue every thread behind one new contact. Two threads that miss on the same peer both compute it (the
/// result is the same) and the second insert is dropped: a little duplicate work on a cold miss, never a wrong key.
/// </para>
/// <para>
/// Bounded because the peers are chosen by others: anyone can send to a phone from fresh keys, and an unbounded cache
/// would grow with them.
/// </para>
/// </remarks>
public sealed partial class ChatKeys
{
    /// <summary>How many peers' shared keys are kept.</summary>
    public const int SharedKeyCacheCapacity = 1024;

    private readonly Lock _sharedKeysLock = new();
    private readonly Dictionary<PublicKey, LinkedListNode<CachedSharedKey>> _sharedKeys = [];

    // Most recently used first; the last node is the one evicted.
    private readonly LinkedList<CachedSharedKey> _sharedKeyOrder = new();

    /// <summary>The number of peers whose shared key is cached (for tests and metrics).</summary>
    internal int CachedSharedKeyCount
    {
        get
        {
            lock (_sharedKeysLock)
            {
                return _sharedKeys.Count;
            }
        }
    }

    /// <summary>Whether the shared key with <paramref name="peer"/> is cached (for tests).</summary>
    internal bool IsSharedKeyCached(PublicKey peer)
    {
        lock (_sharedKeysLock)
        {
            return _sharedKeys.ContainsKey(peer);
        }
    }

    /// <summary>
    /// The shared key with <paramref name="peer"/>, from the cache or computed and cached; false when the peer key has
    /// no X25519 form. Same value as <see cref="TryGetSharedKey"/>.
    /// </summary>
    internal bool TryGetCachedSharedKey(PublicKey peer, Span<byte> sharedKey)
    {
        if (sharedKey.Length != Sodium.BoxSharedKeyBytes)
        {
            throw new ArgumentException($"A shared key is {Sodium.BoxSharedKeyBytes} bytes, not {sharedKey.Length}.", nameof(sharedKey));
        }

        lock (_sharedKeysLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_sharedKeys.TryGetValue(peer, out var hit))
            {
                _sharedKeyOrder.Remove(hit);
                _sharedKeyOrder.AddFirst(hit);
                hit.Value.Key.CopyTo(sharedKey);
                return true;
            }
        }

        if (!TryGetSharedKey(peer, sharedKey))
        {
            return false;
        }

        lock (_sharedKeysLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_sharedKeys.ContainsKey(peer))
            {
                if (_sharedKeys.Count >= SharedKeyCacheCapacity)
                {
                    var oldest = _sharedKeyOrder.Last!;
                    _sharedKeyOrder.RemoveLast();
                    _sharedKeys.Remove(oldest.Value.Peer);
                    Sodium.Zero(oldest.Value.Key);
                }

                _sharedKeys.Add(peer, _sharedKeyOrder.AddFirst(new CachedSharedKey(peer, sharedKey.ToArray())));
            }
        }

        return true;
    }

    private void WipeSharedKeys()
    {
        lock (_sharedKeysLock)
        {
            foreach (var entry in _sharedKeyOrder)
            {
                Sodium.Zero(entry.Key);
            }

            _sharedKeyOrder.Clear();
            _sharedKeys.Clear();
        }
    }

    private sealed record CachedSharedKey(PublicKey Peer, byte[] Key);
}
