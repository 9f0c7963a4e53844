using System.Threading.Channels;

namespace NexusOrleans.Benchmarks.Baseline;

/// <summary>
/// The baseline every call figure is compared with: the least an actor can be in .NET. One unbounded single-reader
/// channel is the mailbox, one reader loop handles a message at a time, and the caller awaits a
/// <see cref="TaskCompletionSource{TResult}"/> carried in the message.
/// </summary>
/// <remarks>
/// The reply source runs continuations asynchronously because the runtime never runs a caller's continuation inline on
/// the grain's thread either (the activation is the current synchronization context there, so the continuation is
/// queued to the thread pool). Both sides therefore pay the same two thread-pool hops per call: mailbox to reader, and
/// reply to caller. What the baseline leaves out is what the runtime adds: the directory, the turn rules, activation
/// and lifecycle, generated request objects.
/// </remarks>
public sealed class ChannelActor
{
    private readonly Channel<PingMessage> _mailbox = Channel.CreateUnbounded<PingMessage>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly ActorState _state = new();

    /// <summary>Creates the actor and starts its reader loop, which waits for the first message.</summary>
    public ChannelActor() => _ = RunAsync();

    /// <summary>Messages handled so far.</summary>
    public int Handled => _state.Handled;

    /// <summary>Queues a ping; the task completes with <paramref name="x"/> + 1 once the actor handled it.</summary>
    public Task<int> Ping(int x)
    {
        var reply = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _mailbox.Writer.TryWrite(new PingMessage(x, reply));
        return reply.Task;
    }

    private async Task RunAsync()
    {
        var reader = _mailbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                _state.Handled++;
                message.Reply.SetResult(message.Argument + 1);
            }
        }
    }

    private readonly record struct PingMessage(int Argument, TaskCompletionSource<int> Reply);

    /// <summary>The small per-actor object a grain instance stands for.</summary>
    private sealed class ActorState
    {
        public int Handled;
    }
}
