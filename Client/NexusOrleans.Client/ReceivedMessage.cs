using System.Text;
using NexusOrleans.Protocol.Envelopes;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Client;

/// <summary>A message received, verified and decrypted. It stays in the relays until acked (<see cref="ChatClient.AckAsync(MessageId, CancellationToken)"/>).</summary>
public sealed record ReceivedMessage(MessageId Id, PublicKey Sender, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, byte[] Plaintext)
{
    /// <summary>The plaintext as UTF-8 text (what the reference client sends).</summary>
    public string Text => Encoding.UTF8.GetString(Plaintext);
}

/// <summary>The outcome of a send: the message id and which relays took it (stored now, or already had it).</summary>
public sealed record SendResult(MessageId Id, IReadOnlyList<Uri> AcceptedBy, IReadOnlyList<Exception> Failures);
