// One accepted connection: reads calls, runs each without waiting for the previous one, writes answers as they finish.
//
// The first frame must be a Hello with this protocol's version and, when the caller named one, this incarnation's
// generation; otherwise the connection is closed before any call is read, and the caller's calls fail as unavailable
// (they were never run). Answers go back whole under a write lock, in completion order. When the connection breaks,
// calls already running finish here and their answers are dropped: the caller has failed them as interrupted.
using System.Buffers;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Runtime.Cluster.Transport;

internal sealed partial class InboundConnection(Stream stream, SiloAddress local, IInboundCallHandler handler, ClusterOptions options, ILogger logger)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public async Task RunAsync(CancellationToken stopping)
    {
        var frames = new FrameStream(stream, options.MaxFrameBytes);
        try
        {
            if (!await AcceptHelloAsync(frames, stopping).ConfigureAwait(false))
            {
                return;
            }

            while (await frames.ReadAsync(stopping).ConfigureAwait(false) is { } frame)
            {
                CallMessage call;
                try
                {
                    if (frame.Kind is not (FrameKind.Request or FrameKind.OneWay))
                    {
                        throw new InvalidDataException($"A {frame.Kind} frame arrived on an incoming connection; only calls do.");
                    }

                    call = FrameCodec.ReadCall(frame.Buffer.AsSpan(1, frame.Length - 1));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame.Buffer);
                }

                _ = AnswerAsync(call, oneWay: frame.Kind == FrameKind.OneWay, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The listener is stopping; closing the stream below fails the callers' pending calls.
        }
        catch (Exception exception)
        {
            LogInboundClosed(logger, exception.Message);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> AcceptHelloAsync(FrameStream frames, CancellationToken stopping)
    {
        if (await frames.ReadAsync(stopping).ConfigureAwait(false) is not { } hello)
        {
            return false;
        }

        try
        {
            var (version, generation) = hello.Kind == FrameKind.Hello ? FrameCodec.ReadHello(hello.Buffer.AsSpan(1, hello.Length - 1)) : default;
            if (hello.Kind != FrameKind.Hello || version != FrameCodec.Version || (generation != 0 && generation != local.Generation))
            {
                LogHelloRefused(logger, hello.Kind, version, generation, local);
                return false;
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(hello.Buffer);
        }
    }

    private async Task AnswerAsync(CallMessage call, bool oneWay, CancellationToken stopping)
    {
        // Off the read loop at once, so a call that completes synchronously does not hold up reading the next one.
        await Task.Yield();
        var response = await handler.HandleAsync(call).ConfigureAwait(false);
        if (oneWay)
        {
            return;
        }

        var frame = FrameCodec.Response(response);
        if (frame.Length - FrameCodec.LengthSize > options.MaxFrameBytes)
        {
            frame = FrameCodec.Response(ResponseMessage.Error(call.CallId, typeof(InvalidOperationException).FullName!,
                $"The result of {call.WireName} is {frame.Length} bytes; the limit is {options.MaxFrameBytes} (Cluster:MaxFrameBytes)."));
        }

        try
        {
            await _writeLock.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(frame, stopping).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception exception)
        {
            // The caller fails the call when the connection breaks; nothing else can be done with the answer.
            LogAnswerDropped(logger, call.WireName, call.Target, exception.Message);
        }
    }

    [LoggerMessage(EventId = 2610, Level = LogLevel.Debug, Message = "Incoming cluster connection closed: {Reason}")]
    private static partial void LogInboundClosed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2611, Level = LogLevel.Warning, Message = "Incoming cluster connection refused: first frame {Kind}, version {Version}, for generation {Generation}; this is {Local}")]
    private static partial void LogHelloRefused(ILogger logger, FrameKind kind, ushort version, long generation, SiloAddress local);

    [LoggerMessage(EventId = 2612, Level = LogLevel.Debug, Message = "Answer to {Method} on {Target} dropped: {Reason}")]
    private static partial void LogAnswerDropped(ILogger logger, string method, GrainId target, string reason);
}
