using NexusOrleans.Testing;
using System.Data.Common;
using NexusOrleans.Runtime.Storage;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>
/// How the SQL providers commit: grouped transactions, per-operation outcomes, and the flush on dispose. Each runs
/// against a real database through a derived class.
/// </summary>
public abstract class GroupCommitBehaviourTests : IAsyncLifetime
{
    private const string State = "state";
    private readonly List<IAsyncDisposable> _cleanup = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task Write_ManyConcurrent_AllSucceedInFewerTransactions()
    {
        const int writes = 200;
        var provider = await StartAsync(Track(CreateStore(maxBatchSize: 256)));

        var grains = Enumerable.Range(0, writes).Select(_ => NewGrain()).ToList();
        var eTags = await Task.WhenAll(grains.Select(g => provider.GrainStorage.WriteAsync(new GrainStateWrite(g, State, Bytes(g.Key), null), Ct))).WithTimeout();

        Assert.Equal(writes, eTags.Length);
        Assert.Equal(writes, CommittedOperations(provider));
        Assert.InRange(CommittedBatches(provider), 1, writes - 1);
    }

    [Fact]
    public async Task Write_MaxBatchSizeOne_CommitsEachWriteAlone()
    {
        const int writes = 40;
        var provider = await StartAsync(Track(CreateStore(maxBatchSize: 1)));

        await Task.WhenAll(Enumerable.Range(0, writes)
            .Select(_ => provider.GrainStorage.WriteAsync(new GrainStateWrite(NewGrain(), State, Bytes("x"), null), Ct))).WithTimeout();

        Assert.Equal(writes, CommittedBatches(provider));
    }

    [Fact]
    public async Task Dispose_WithQueuedWrites_CommitsEveryOneBeforeCompleting()
    {
        const int writes = 300;
        var target = Track(CreateStore(maxBatchSize: 16));
        var provider = await StartAsync(target, track: false);
        var grains = Enumerable.Range(0, writes).Select(_ => NewGrain()).ToList();
        var pending = grains.Select(g => provider.GrainStorage.WriteAsync(new GrainStateWrite(g, State, Bytes(g.Key), null), Ct)).ToList();

        await provider.DisposeAsync().AsTask().WithTimeout();

        Assert.All(pending, write => Assert.True(write.IsCompletedSuccessfully));
        var reopened = await StartAsync(target);
        for (var i = 0; i < writes; i++)
        {
            var stored = await reopened.GrainStorage.ReadAsync(grains[i], State, Ct).WithTimeout();
            Assert.Equal(await pending[i], stored?.ETag);
        }
    }

    [Fact]
    public async Task Write_AfterDispose_ThrowsObjectDisposed()
    {
        var provider = await StartAsync(Track(CreateStore(maxBatchSize: 16)), track: false);
        await provider.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => provider.GrainStorage.WriteAsync(new GrainStateWrite(NewGrain(), State, Bytes("late"), null), Ct));
    }

    [Fact]
    public async Task Write_BeforeInitialize_ThrowsInvalidOperationSayingSo()
    {
        await using var provider = Track(CreateStore(maxBatchSize: 16)).CreateProvider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => provider.GrainStorage.WriteAsync(new GrainStateWrite(NewGrain(), State, Bytes("early"), null), Ct));

        Assert.Contains("InitializeAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_StatementFailingInsideBatch_FailsOnlyThatWrite()
    {
        const int writes = 60;
        var target = Track(CreateStore(maxBatchSize: 256));
        var provider = await StartAsync(target);
        var poisoned = NewGrain();
        await InstallPoisonTriggerAsync(target, poisoned.Key);
        var grains = Enumerable.Range(0, writes).Select(_ => NewGrain()).ToList();
        grains.Insert(writes / 2, poisoned);

        var attempts = grains.Select(g => provider.GrainStorage.WriteAsync(new GrainStateWrite(g, State, Bytes(g.Key), null), Ct)).ToList();
        await attempts.SettleAsync();

        var failure = Assert.Single(attempts, t => !t.IsCompletedSuccessfully);
        Assert.Same(attempts[writes / 2], failure);
        Assert.IsAssignableFrom<DbException>(failure.Exception!.InnerException);
        foreach (var grain in grains.Where(g => g != poisoned))
        {
            Assert.NotNull(await provider.GrainStorage.ReadAsync(grain, State, Ct).WithTimeout());
        }

        Assert.Null(await provider.GrainStorage.ReadAsync(poisoned, State, Ct).WithTimeout());
    }

    [Fact]
    public async Task Write_RacingFromTwoProvidersOnSameData_ExactlyOneWins()
    {
        const int writersPerProvider = 12;
        var target = Track(CreateStore(maxBatchSize: 256));
        var first = await StartAsync(target);
        var second = await StartAsync(target);
        var grain = NewGrain();
        var start = await first.GrainStorage.WriteAsync(new GrainStateWrite(grain, State, Bytes("start"), null), Ct).WithTimeout();

        var attempts = Enumerable.Range(0, writersPerProvider)
            .SelectMany(i => new[] { first, second }.Select(p => p.GrainStorage.WriteAsync(new GrainStateWrite(grain, State, Bytes($"w{i}"), start), Ct)))
            .ToList();
        await attempts.SettleAsync();

        var winner = Assert.Single(attempts, t => t.IsCompletedSuccessfully);
        Assert.All(attempts.Where(t => t != winner), t => Assert.IsType<InconsistentStateException>(t.Exception?.InnerException));
        Assert.Equal(await winner, (await second.GrainStorage.ReadAsync(grain, State, Ct).WithTimeout())?.ETag);
    }

    protected abstract TestStore CreateStore(int maxBatchSize);

    protected abstract long CommittedBatches(IStorageProvider provider);

    protected abstract long CommittedOperations(IStorageProvider provider);

    /// <summary>Makes every write of the grain with key <paramref name="grainKey"/> fail inside the database.</summary>
    protected abstract Task InstallPoisonTriggerAsync(TestStore target, string grainKey);

    private T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    private async Task<IStorageProvider> StartAsync(TestStore target, bool track = true)
    {
        var provider = target.CreateProvider();
        if (track)
        {
            Track(provider);
        }

        await provider.InitializeAsync(Ct).WithTimeout();
        return provider;
    }
}
