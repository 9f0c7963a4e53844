using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Runtime.Storage.Batching;

/// <summary>
/// Group commit: many concurrent writers share one durable commit.
/// </summary>
/// <remarks>
/// <para>Every change (state write or clear, reminder upsert, remove or tick) is queued on an unbounded channel that a
/// single consumer drains. Each turn the consumer takes whatever is queued, up to the batch limit, and hands it to the
/// committer as one transaction. A sync to disk costs about the same for one row as for a hundred, so while one batch
/// is being synced the next one fills up: throughput grows with load while each caller still waits for exactly one
/// commit. With a batch limit of 1 this degrades to one transaction per change, the baseline it is measured against.</para>
/// <para>Outcomes are per operation. A refused compare-and-swap is staged as that operation's outcome and does not
/// disturb the others. Results are published only after the commit returned, so a caller never observes a change that
/// was later rolled back. If the transaction fails as a whole (I/O error, full disk, lost connection, a statement
/// error), it is rolled back and every operation is re-run in a transaction of its own, so only the operation that
/// really fails gets the error. When a commit's outcome is unknown (the connection died while COMMIT was in flight)
/// the re-run is still safe, if not always precise: a state change is a compare-and-swap, so one that did land turns
/// its re-run into a version conflict (the grain re-reads and finds its own write), never into a second write; a
/// reminder upsert simply replaces the row again, a tick record is repeated unchanged, and a removal that did land
/// reports that there was nothing to remove.</para>
/// <para>Disposal is the flush of a graceful shutdown: the queue stops accepting (later submissions fail with
/// <see cref="ObjectDisposedException"/>), everything already queued is committed, and only then does disposal
/// complete. The single consumer is also what keeps SQLite to one writer connection.</para>
/// </remarks>
internal sealed partial class GroupCommitBatcher : IAsyncDisposable
{
    private readonly Channel<StorageOperation> _queue = Channel.CreateUnbounded<StorageOperation>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly IBatchCommitter _committer;
    private readonly int _maxBatchSize;
    private readonly string _storeName;
    private readonly ILogger _logger;
    private Task? _consumer;
    private long _committedBatches;
    private long _committedOperations;

    public GroupCommitBatcher(IBatchCommitter committer, int maxBatchSize, string storeName, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _committer = committer;
        _maxBatchSize = maxBatchSize;
        _storeName = storeName;
        _logger = logger;
    }

    /// <summary>Transactions committed so far (a batch re-run one operation at a time counts once per operation).</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>Operations whose transaction committed (including refused compare-and-swaps).</summary>
    public long CommittedOperations => Interlocked.Read(ref _committedOperations);

    /// <summary>Starts the consumer. Operations submitted before this wait in the queue.</summary>
    public void Start()
    {
        if (_consumer is not null)
        {
            throw new InvalidOperationException("The batcher has already been started.");
        }

        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>Queues <paramref name="operation"/>; the task completes once its transaction committed.</summary>
    public Task<TResult> SubmitAsync<TResult>(StorageOperation<TResult> operation, CancellationToken cancellationToken)
    {
        operation.AttachCancellation(cancellationToken);
        if (!_queue.Writer.TryWrite(operation))
        {
            operation.Fail(new ObjectDisposedException(
                $"The '{_storeName}' storage provider is shutting down or disposed and accepts no more writes."));
        }

        return operation.Completion;
    }

    /// <summary>Stops accepting operations, commits everything already queued, then completes.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_consumer is not null)
        {
            await _consumer.ConfigureAwait(false);
            return;
        }

        // Never started: nothing can commit what is queued.
        while (_queue.Reader.TryRead(out var operation))
        {
            if (operation.TryClaim())
            {
                operation.Fail(new ObjectDisposedException($"The '{_storeName}' storage provider was disposed before it was initialized."));
            }
        }
    }

    private async Task ConsumeAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<StorageOperation>(_maxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var operation))
            {
                if (operation.TryClaim())
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<StorageOperation> batch)
    {
        try
        {
            await _committer.CommitAsync(batch, CancellationToken.None).ConfigureAwait(false);
            Committed(batch.Count);
            foreach (var operation in batch)
            {
                operation.Publish();
            }

            return;
        }
        catch (Exception exception)
        {
            LogBatchFailed(_logger, _storeName, batch.Count, exception);
        }

        foreach (var operation in batch)
        {
            operation.DiscardStaged();
            try
            {
                await _committer.CommitAsync([operation], CancellationToken.None).ConfigureAwait(false);
                Committed(1);
                operation.Publish();
            }
            catch (Exception exception)
            {
                operation.DiscardStaged();
                operation.Fail(exception);
            }
        }
    }

    private void Committed(int operations)
    {
        Interlocked.Increment(ref _committedBatches);
        Interlocked.Add(ref _committedOperations, operations);
    }

    [LoggerMessage(EventId = StorageEventIds.BatchFailed, Level = LogLevel.Warning,
        Message = "Storage '{StoreName}': a batch of {Count} operations failed as a whole and was rolled back; re-running each in its own transaction")]
    private static partial void LogBatchFailed(ILogger logger, string storeName, int count, Exception exception);
}
