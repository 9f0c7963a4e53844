using NexusOrleans.Client;
using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Gateway.Canaries;

/// <summary>
/// The prober's two phones at one relay: the probe sender and the probe recipient, each connected to this relay only
/// (one connection, no discovery), kept open between ticks and replaced when either has lost its connection.
/// </summary>
internal sealed class RelayProbe(string relayKey, Uri endpoint, ChatKeys sender, ChatKeys recipient, ChatClientOptions senderOptions, ChatClientOptions recipientOptions) : IAsyncDisposable
{
    private ChatClient? _sender;
    private ChatClient? _recipient;

    public string RelayKey { get; } = relayKey;

    public Uri Endpoint { get; } = endpoint;

    /// <summary>The connected pair; both are reconnected when either is down. Throws when the relay cannot be reached.</summary>
    public async Task<(ChatClient Sender, ChatClient Recipient, bool Reconnected)> ConnectAsync(Func<ChatClient, Task> startReading, CancellationToken cancellationToken)
    {
        if (_sender is { ConnectedRelays.Count: > 0 } connectedSender && _recipient is { ConnectedRelays.Count: > 0 } connectedRecipient)
        {
            return (connectedSender, connectedRecipient, false);
        }

        await CloseAsync();

        // The recipient first, so it is subscribed before anything is sent to it.
        var newRecipient = await ChatClient.ConnectAsync(recipient, [Endpoint], recipientOptions, cancellationToken);
        _recipient = newRecipient;
        _ = startReading(newRecipient);
        _sender = await ChatClient.ConnectAsync(sender, [Endpoint], senderOptions, cancellationToken);
        return (_sender, newRecipient, true);
    }

    /// <summary>Closes both phones; the next <see cref="ConnectAsync"/> opens new ones.</summary>
    public async Task CloseAsync()
    {
        if (_sender is { } oldSender)
        {
            _sender = null;
            await oldSender.DisposeAsync();
        }

        if (_recipient is { } oldRecipient)
        {
            _recipient = null;
            await oldRecipient.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
