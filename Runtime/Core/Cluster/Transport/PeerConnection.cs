// One outgoing connection to one peer, carrying many calls at once.
//
// Calls are multiplexed by call id: each request frame is written whole under a write lock, and a single read loop
// matches response frames to the pending calls by id, in whatever order they come back. Guarantees:
//  * every call sent on this connection completes exactly once: with its response, with TimeoutException after the
//    caller's budget (the call stays registered until then), or with CallInterruptedException when the connection
//    closes first; a call that could not be written at all fails with SiloUnavailableException.
//  * a call is never lost silently: registering a pending call and closing the connection both go through _pending,
//    and a call registered after the close began sees _closed and fails itself.
// The connection never reconnects; the pool drops a closed connection and the next call opens a new one.
using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Runtime.Cluster.Transport;

internal sealed partial class PeerConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<ResponseMessage>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly ClusterOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _nextCallId;
    private volatile bool _closed;
    private int _closeStarted;
    private Task _reading = Task.CompletedTask;

    private PeerConnection(SiloAddress peer, Socket socket, ClusterOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Peer = peer;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public SiloAddress Peer { get; }

    public bool IsClosed => _closed;

    /// <summary>Raised once, when the connection has closed and every pending call has failed.</summary>
    public event Action<PeerConnection>? Closed;

    public static async Task<PeerConnection> ConnectAsync(SiloAddress peer, ClusterOptions options, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            await socket.ConnectAsync(peer.Host, peer.Port, linked.Token).ConfigureAwait(false);
            var connection = new PeerConnection(peer, socket, options, timeProvider, logger);
            await connection._stream.WriteAsync(FrameCodec.Hello(peer.Generation), linked.Token).ConfigureAwait(false);
            connection._reading = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
            LogConnected(logger, peer);
            return connection;
        }
        catch (Exception exception)
        {
            socket.Dispose();
            throw new SiloUnavailableException($"Cannot connect to silo {peer}: {exception.Message}. The call was not sent; retry later or elsewhere.");
        }
    }

    /// <summary>Sends a call and waits for its answer; see the file header for how it ends.</summary>
    public async Task<ResponseMessage> CallAsync(CallMessage call, TimeSpan timeout)
    {
        var callId = (ulong)Interlocked.Increment(ref _nextCallId);
        var answer = new TaskCompletionSource<ResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[callId] = answer;
        try
        {
            if (_closed)
            {
                throw new IOException("the connection is closed");
            }

            await WriteAsync(FrameCodec.Call(call with { CallId = callId }, oneWay: false)).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _pending.TryRemove(callId, out _);
            throw exception is ArgumentException
                ? exception
                : new SiloUnavailableException($"The call to {call.Target} could not be sent to silo {Peer}: {exception.Message}");
        }

        try
        {
            return await answer.Task.WaitAsync(timeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(callId, out _);
            throw new TimeoutException(
                $"{call.WireName} on {call.Target} got no answer from silo {Peer} within {timeout}; it may or may not have run (Cluster:CallTimeout).");
        }
    }

    /// <summary>Sends a call that gets no answer; completes once the frame is handed to the socket.</summary>
    public async Task SendOneWayAsync(CallMessage call)
    {
        try
        {
            await WriteAsync(FrameCodec.Call(call, oneWay: true)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not ArgumentException)
        {
            throw new SiloUnavailableException($"The notification to {call.Target} could not be sent to silo {Peer}: {exception.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(reason: null);
        await _reading.ConfigureAwait(false);
    }

    private async Task WriteAsync(byte[] frame)
    {
        if (frame.Length - FrameCodec.LengthSize > _options.MaxFrameBytes)
        {
            throw new ArgumentException($"The call's frame is {frame.Length} bytes; the limit is {_options.MaxFrameBytes} (Cluster:MaxFrameBytes).");
        }

        await _writeLock.WaitAsync(_closing.Token).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(frame, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Close(exception);
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var frames = new FrameStream(_stream, _options.MaxFrameBytes);
        Exception? failure = null;
        try
        {
            while (await frames.ReadAsync(_closing.Token).ConfigureAwait(false) is { } frame)
            {
                try
                {
                    if (frame.Kind != FrameKind.Response)
                    {
                        throw new InvalidDataException($"A {frame.Kind} frame arrived on an outgoing connection; only responses do.");
                    }

                    var response = FrameCodec.ReadResponse(frame.Buffer.AsSpan(1, frame.Length - 1));
                    if (_pending.TryRemove(response.CallId, out var answer))
                    {
                        answer.TrySetResult(response);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame.Buffer);
                }
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        Close(failure);
    }

    private void Close(Exception? reason)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) == 1)
        {
            return;
        }

        _closed = true;
        _closing.Cancel();
        _socket.Dispose();
        foreach (var callId in _pending.Keys)
        {
            FailPending(callId);
        }

        if (reason is not null and not OperationCanceledException)
        {
            LogConnectionLost(_logger, Peer, reason.Message);
        }

        Closed?.Invoke(this);
    }

    private void FailPending(ulong callId)
    {
        if (_pending.TryRemove(callId, out var answer))
        {
            answer.TrySetException(new CallInterruptedException(
                $"The connection to silo {Peer} closed before the answer arrived; the call may or may not have run there."));
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Debug, Message = "Connected to silo {Peer}")]
    private static partial void LogConnected(ILogger logger, SiloAddress peer);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "Connection to silo {Peer} lost: {Reason}; its pending calls failed")]
    private static partial void LogConnectionLost(ILogger logger, SiloAddress peer, string reason);
}
