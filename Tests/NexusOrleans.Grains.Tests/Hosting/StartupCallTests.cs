using Microsoft.Extensions.Logging.Abstractions;
using NexusOrleans.Grains.Hosting;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Hosting;

/// <summary>Start-up grain calls ride out a settling cluster, and fail the start for anything else.</summary>
public sealed class StartupCallTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task RunAsync_RetryableFailuresThenSuccess_RetriesWithBackOffUntilItSucceeds()
    {
        var attempts = 0;
        var run = StartupCall.RunAsync(
            () => ++attempts < 3 ? throw new SiloUnavailableException("Cannot connect to the owner.") : Task.CompletedTask,
            "test", _time, NullLogger.Instance, CancellationToken.None);

        await AdvanceUntilAsync(() => attempts == 2, TimeSpan.FromMilliseconds(100));
        await AdvanceUntilAsync(() => attempts == 3, TimeSpan.FromMilliseconds(200));

        await run;
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task RunAsync_PartitionOwnedElsewhereForAMoment_RetriesUntilItSucceeds()
    {
        var attempts = 0;
        var moving = new PartitionOwner(17, new SiloAddress("127.0.0.1", 11111, 1), 1, IsLocal: false);
        var run = StartupCall.RunAsync(
            () => ++attempts < 2 ? throw new NotPartitionOwnerException(new GrainId(GrainType.Create("epoch-scheduler"), "epochs"), moving) : Task.CompletedTask,
            "test", _time, NullLogger.Instance, CancellationToken.None);

        await AdvanceUntilAsync(() => attempts == 2, TimeSpan.FromMilliseconds(100));

        await run;
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task RunAsync_ANonRetryableFailure_FailsAtOnce()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => StartupCall.RunAsync(
            () => { attempts++; throw new InvalidOperationException("A bug, not a settling cluster."); },
            "test", _time, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task RunAsync_RetryableFailuresPastTheBudget_FailsWithTheLastError()
    {
        var run = StartupCall.RunAsync(
            () => throw new CallInterruptedException("The connection closed."), "test", _time, NullLogger.Instance, CancellationToken.None);

        while (!run.IsCompleted)
        {
            await Poll.UntilAsync(() => run.IsCompleted || _time.ActiveTimers > 0, "the next retry is scheduled");
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        await Assert.ThrowsAsync<CallInterruptedException>(() => run);
        Assert.True(_time.GetUtcNow() - new ManualTimeProvider().GetUtcNow() <= StartupCall.Budget + TimeSpan.FromSeconds(2));
    }

    private async Task AdvanceUntilAsync(Func<bool> done, TimeSpan step)
    {
        await Poll.UntilAsync(() => done() || _time.ActiveTimers > 0, "a retry is scheduled");
        if (!done())
        {
            _time.Advance(step);
        }

        await Poll.UntilAsync(done, "the retry ran");
    }
}
