using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Client;

/// <summary>How a <see cref="ChatClient"/> uses relays.</summary>
public sealed class ChatClientOptions
{
    /// <summary>How many relays to keep connections to: every message goes through all of them (the product asks for at least 5).</summary>
    public int TargetConnections { get; set; } = 5;

    /// <summary>Ask the first relay for its relay list when fewer relays than <see cref="TargetConnections"/> were given.</summary>
    public bool DiscoverRelays { get; set; } = true;

    /// <summary>Time allowed for one relay's connect and handshake.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for one relay to answer one request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delay before reconnecting a dropped relay; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lifetime given to sent messages (at most 6 hours; relays shorten longer ones).</summary>
    public TimeSpan MessageLifetime { get; set; } = TimeSpan.FromHours(6);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The wallet that pays this identity's message fees, sent to every relay in the auth frame; null sends none (a relay
    /// of a network that charges fees then answers sends <c>payment-required</c> once the free messages are used). Make it
    /// with <see cref="WalletBinding.Create"/> from the wallet of the same mnemonic (<c>EvmWallet.FromMnemonic</c>) or any
    /// other wallet that agrees to pay; it holds only the signature, never the wallet's key. Its identity must be the client's.
    /// </summary>
    public WalletBinding? WalletBinding { get; set; }

    internal void Validate()
    {
        if (TargetConnections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TargetConnections), TargetConnections, "Keep at least one relay connection.");
        }

        if (MessageLifetime <= TimeSpan.Zero || MessageLifetime > TimeSpan.FromHours(6))
        {
            throw new ArgumentOutOfRangeException(nameof(MessageLifetime), MessageLifetime, "A message lives more than 0 and at most 6 hours.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || ReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < ReconnectDelay)
        {
            throw new ArgumentException("ConnectTimeout, RequestTimeout and ReconnectDelay must be positive, and MaxReconnectDelay at least ReconnectDelay.");
        }
    }
}
