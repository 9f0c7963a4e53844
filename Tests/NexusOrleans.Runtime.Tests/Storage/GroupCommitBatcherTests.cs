using Microsoft.Extensions.Logging.Abstractions;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Batching;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>
/// Queue logic of the batcher, with a committer whose commits the test releases by hand. (Its behaviour against real
/// databases is covered by <see cref="GroupCommitBehaviourTests"/>.)
/// </summary>
public sealed class GroupCommitBatcherTests
{
    [Fact]
    public async Task Submit_CanceledWhileQueued_CompletesCanceledAndIsNeverCommitted()
    {
        var committer = new GatedCommitter();
        await using var batcher = Start(committer, maxBatchSize: 1);
        var first = batcher.SubmitAsync(NewWrite(), Ct);
        await committer.FirstCommitStarted.WithTimeout();
        using var cancel = new CancellationTokenSource();
        var queued = batcher.SubmitAsync(NewWrite(), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WithTimeout());
        committer.Release();
        await first.WithTimeout();
        Assert.Equal(1, committer.OperationsSeen);
    }

    [Fact]
    public async Task Result_BeforeCommitReturns_IsNotVisibleToTheCaller()
    {
        var committer = new GatedCommitter();
        await using var batcher = Start(committer, maxBatchSize: 8);

        var write = batcher.SubmitAsync(NewWrite(), Ct);
        await committer.FirstCommitStarted.WithTimeout();

        Assert.False(write.IsCompleted);
        committer.Release();
        Assert.Equal("1", await write.WithTimeout());
    }

    [Fact]
    public async Task Dispose_WhileCommitInFlight_WaitsAndCommitsEverythingQueued()
    {
        var committer = new GatedCommitter();
        var batcher = Start(committer, maxBatchSize: 4);
        var writes = Enumerable.Range(0, 10).Select(_ => batcher.SubmitAsync(NewWrite(), Ct)).ToList();
        await committer.FirstCommitStarted.WithTimeout();

        var disposal = batcher.DisposeAsync().AsTask();
        var late = batcher.SubmitAsync(NewWrite(), Ct);
        Assert.False(disposal.IsCompleted);
        committer.Release();
        await disposal.WithTimeout();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => late);
        Assert.Equal(10, committer.OperationsSeen);
    }

    private static GroupCommitBatcher Start(IBatchCommitter committer, int maxBatchSize)
    {
        var batcher = new GroupCommitBatcher(committer, maxBatchSize, "test", NullLogger.Instance);
        batcher.Start();
        return batcher;
    }

    private static StateWriteOperation NewWrite() => new(new GrainStateWrite(NewGrain(), "state", Bytes("x"), null));

    /// <summary>Stages version 1 for every write, but holds the first commit until <see cref="Release"/>.</summary>
    private sealed class GatedCommitter : IBatchCommitter
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _operationsSeen;

        public Task FirstCommitStarted => _started.Task;

        public int OperationsSeen => Volatile.Read(ref _operationsSeen);

        public void Release() => _gate.TrySetResult();

        public async Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken)
        {
            foreach (var operation in batch)
            {
                ((StateWriteOperation)operation).StageResult("1");
                Interlocked.Increment(ref _operationsSeen);
            }

            _started.TrySetResult();
            await _gate.Task;
        }
    }
}
