using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Runtime.Cluster.Transport;

/// <summary>
/// Accepts silo-to-silo connections on the configured port and runs each until it closes or the listener stops.
/// Stopping closes every accepted connection, so callers fail their pending calls instead of waiting.
/// </summary>
internal sealed partial class ClusterListener(SiloAddress local, IInboundCallHandler handler, ClusterOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public void Start()
    {
        var address = IPAddress.TryParse(options.Host, out var ip) ? ip : IPAddress.Any;
        _listener = new TcpListener(address, options.Port);
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync, CancellationToken.None);
        LogListening(logger, local);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener?.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            var connection = new InboundConnection(new NetworkStream(socket, ownsSocket: true), local, handler, options, logger);
            lock (_connections)
            {
                _connections.RemoveAll(task => task.IsCompleted);
                _connections.Add(Task.Run(() => connection.RunAsync(_stopping.Token), CancellationToken.None));
            }
        }
    }

    [LoggerMessage(EventId = 2613, Level = LogLevel.Information, Message = "Listening for silo-to-silo calls as {Local}")]
    private static partial void LogListening(ILogger logger, SiloAddress local);
}
