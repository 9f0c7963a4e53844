using System.Diagnostics;
using NexusOrleans.Protocol.Crypto;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>
/// Reference (a) of the chat suite: the libsodium work one relayed message costs, in a tight loop on every core, with no
/// network, grains or storage. Its rate is the most messages per second this machine could relay if nothing but the
/// cryptography cost anything.
/// </summary>
/// <remarks>
/// <para>The work per message is exactly the calls the relayed path makes (docs/PROTOCOL.md; <c>Envelope.Seal</c>,
/// <c>Envelope.TryDecode</c>, <c>Envelope.Open</c>), with the shared-key cache of <see cref="ChatKeys"/> warm, as it is
/// for a phone that keeps talking to the same peer:</para>
/// <list type="table">
/// <item><term>sender, Seal</term><description><c>randombytes_buf</c> (nonce), <c>crypto_box_easy_afternm</c> (1 KiB),
/// <c>crypto_sign_detached</c> and <c>crypto_generichash</c> over the signed bytes (the id).</description></item>
/// <item><term>gateway, Decode</term><description><c>crypto_sign_ed25519_pk_to_curve25519</c> (the recipient key has an
/// X25519 form), <c>crypto_sign_verify_detached</c>, <c>crypto_generichash</c> (the id).</description></item>
/// <item><term>recipient, Decode + Open</term><description>the same three calls again, then
/// <c>crypto_box_open_easy_afternm</c>.</description></item>
/// </list>
/// <para>Two figures: the raw calls on prepared buffers (<see cref="RawMessage"/>, the ceiling the targets use), and the
/// same through the protocol API, which adds the envelope's own allocations and copies (<see cref="ApiMessage"/>).</para>
/// </remarks>
public static class CryptoCeiling
{
    /// <summary>Plaintext bytes per message, as the load generator sends.</summary>
    public const int PlaintextBytes = 1024;

    /// <summary>The libsodium calls of one message, with their argument sizes, in path order.</summary>
    public static readonly string[] Operations =
    [
        "randombytes_buf (24 B nonce)",
        "crypto_box_easy_afternm (1 KiB)",
        "crypto_sign_detached (signed bytes)",
        "crypto_generichash (id, ×3)",
        "crypto_sign_ed25519_pk_to_curve25519 (×2)",
        "crypto_sign_verify_detached (×2)",
        "crypto_box_open_easy_afternm (1 KiB)",
    ];

    /// <summary>Messages per second with <paramref name="threads"/> threads doing the raw calls for <paramref name="duration"/>.</summary>
    public static double RawRate(int threads, TimeSpan duration) => Rate(threads, duration, () => new RawMessage().Run);

    /// <summary>Messages per second with <paramref name="threads"/> threads doing Seal, Decode, Decode, Open for <paramref name="duration"/>.</summary>
    public static double ApiRate(int threads, TimeSpan duration) => Rate(threads, duration, () => new ApiMessage().Run);

    /// <summary>Microseconds per call of each operation in <see cref="Operations"/>, one thread, counted as often as one message makes it.</summary>
    public static double[] MicrosecondsPerOperation(TimeSpan perOperation)
    {
        var message = new RawMessage();
        Action[] operations =
        [
            message.Nonce,
            message.Box,
            message.Sign,
            message.Hash,
            message.ConvertRecipient,
            message.Verify,
            message.Unbox,
        ];
        int[] timesPerMessage = [1, 1, 1, 3, 2, 2, 1];
        return operations.Select((operation, i) => timesPerMessage[i] * TimeOne(operation, perOperation)).ToArray();
    }

    private static double TimeOne(Action operation, TimeSpan duration)
    {
        for (var i = 0; i < 200; i++)
        {
            operation();
        }

        var calls = 0L;
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long now;
        do
        {
            for (var i = 0; i < 64; i++)
            {
                operation();
            }

            calls += 64;
            now = Stopwatch.GetTimestamp();
        }
        while (now < until);

        return (now - started) * 1e6 / Stopwatch.Frequency / calls;
    }

    private static double Rate(int threads, TimeSpan duration, Func<Action> makeWorker)
    {
        var counts = new long[threads];
        var stop = 0;
        using var ready = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var work = makeWorker();
            for (var i = 0; i < 100; i++)
            {
                work();
            }

            ready.SignalAndWait();
            var done = 0L;
            while (Volatile.Read(ref stop) == 0)
            {
                work();
                done++;
            }

            counts[t] = done;
        }) { IsBackground = true, Name = $"crypto ceiling {t}" }).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        ready.SignalAndWait();
        var started = Stopwatch.GetTimestamp();
        Thread.Sleep(duration);
        Volatile.Write(ref stop, 1);
        foreach (var worker in workers)
        {
            worker.Join();
        }

        return counts.Sum() / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static (ChatKeys Sender, ChatKeys Recipient) NewPair()
    {
        Span<byte> seed = stackalloc byte[32];
        Sodium.RandomBytes(seed);
        var sender = ChatKeys.FromEd25519Seed(seed);
        Sodium.RandomBytes(seed);
        return (sender, ChatKeys.FromEd25519Seed(seed));
    }

    /// <summary>One message's libsodium calls on buffers laid out as an envelope's, with the shared key computed once.</summary>
    private sealed class RawMessage
    {
        // "iChat-Envelope-v1" (17) ‖ header (109) ‖ ciphertext (1024 + 16); the signature goes after it.
        private const int SignedBytes = 17 + 109 + PlaintextBytes + 16;
        private readonly byte[] _signingKey = new byte[64];
        private readonly byte[] _senderKey = new byte[32];
        private readonly byte[] _recipientKey = new byte[32];
        private readonly byte[] _sharedKey = new byte[32];
        private readonly byte[] _plaintext = new byte[PlaintextBytes];
        private readonly byte[] _opened = new byte[PlaintextBytes];
        private readonly byte[] _signed = new byte[SignedBytes];
        private readonly byte[] _signature = new byte[64];
        private readonly byte[] _id = new byte[32];
        private readonly byte[] _x25519 = new byte[32];

        public RawMessage()
        {
            Span<byte> seed = stackalloc byte[32];
            Sodium.RandomBytes(seed);
            Sodium.SignSeedKeyPair(seed, _senderKey, _signingKey);
            var recipientSecret = new byte[64];
            Sodium.RandomBytes(seed);
            Sodium.SignSeedKeyPair(seed, _recipientKey, recipientSecret);
            Span<byte> senderX = stackalloc byte[32];
            Sodium.ConvertSecretKey(_signingKey, senderX);
            Span<byte> recipientX = stackalloc byte[32];
            if (!Sodium.TryConvertPublicKey(_recipientKey, recipientX) || !Sodium.TryBoxSharedKey(recipientX, senderX, _sharedKey))
            {
                throw new InvalidOperationException("A fresh key pair had no X25519 form.");
            }

            Sodium.RandomBytes(_plaintext);
            Sign();
        }

        private Span<byte> NonceField => _signed.AsSpan(17 + 81, 24);

        private Span<byte> Ciphertext => _signed.AsSpan(17 + 109, PlaintextBytes + 16);

        public void Run()
        {
            // Sender: Seal.
            Nonce();
            Box();
            Sign();
            Hash();

            // Gateway and recipient: Decode each.
            for (var reader = 0; reader < 2; reader++)
            {
                ConvertRecipient();
                Verify();
                Hash();
            }

            // Recipient: Open.
            Unbox();
        }

        public void Nonce() => Sodium.RandomBytes(NonceField);

        public void Box() => Sodium.BoxAfterSharedKey(_plaintext, NonceField, _sharedKey, Ciphertext);

        public void Sign() => Sodium.Sign(_signed, _signingKey, _signature);

        public void Hash() => Sodium.GenericHash(_signed, _id);

        public void ConvertRecipient()
        {
            if (!Sodium.TryConvertPublicKey(_recipientKey, _x25519))
            {
                throw new InvalidOperationException("The recipient key has no X25519 form.");
            }
        }

        public void Verify()
        {
            if (!Sodium.Verify(_signed, _signature, _senderKey))
            {
                throw new InvalidOperationException("The signature did not verify.");
            }
        }

        public void Unbox()
        {
            if (!Sodium.TryUnboxAfterSharedKey(Ciphertext, NonceField, _sharedKey, _opened))
            {
                throw new InvalidOperationException("The box did not open.");
            }
        }
    }

    /// <summary>One message through the protocol API: Seal, Decode (gateway), Decode and Open (recipient).</summary>
    private sealed class ApiMessage
    {
        private readonly ChatKeys _sender;
        private readonly ChatKeys _recipient;
        private readonly byte[] _plaintext = new byte[PlaintextBytes];

        public ApiMessage()
        {
            (_sender, _recipient) = NewPair();
            Sodium.RandomBytes(_plaintext);
        }

        public void Run()
        {
            var sealedEnvelope = Envelope.Seal(_sender, _recipient.Identity, _plaintext, DateTimeOffset.UtcNow);
            _ = Envelope.Decode(sealedEnvelope.Encoded);
            var received = Envelope.Decode(sealedEnvelope.Encoded);
            if (received.Open(_recipient).Length != PlaintextBytes)
            {
                throw new InvalidOperationException("The envelope opened to the wrong length.");
            }
        }
    }
}
