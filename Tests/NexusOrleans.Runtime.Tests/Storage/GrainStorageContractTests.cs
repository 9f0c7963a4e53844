using NexusOrleans.Runtime.Storage;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>
/// The <see cref="IGrainStorage"/> contract. Every provider runs these same tests through a derived class.
/// </summary>
public abstract class GrainStorageContractTests : StorageContractTests
{
    private const string State = "state";

    protected IGrainStorage Storage => Provider.GrainStorage;

    [Fact]
    public async Task Read_MissingRow_ReturnsNull()
    {
        Assert.Null(await Storage.ReadAsync(NewGrain(), State, Ct).WithTimeout());
    }

    [Fact]
    public async Task Write_NullETagOnMissingRow_CreatesRowReadBackWithReturnedETag()
    {
        var grain = NewGrain();

        var eTag = await Write(grain, "first", null);

        var stored = await Read(grain);
        Assert.Equal("first", Text(stored.Payload));
        Assert.Equal(eTag, stored.ETag);
    }

    [Fact]
    public async Task Write_CurrentETag_SucceedsWithNewETag()
    {
        var grain = NewGrain();
        var first = await Write(grain, "first", null);

        var second = await Write(grain, "second", first);

        Assert.NotEqual(first, second);
        var stored = await Read(grain);
        Assert.Equal("second", Text(stored.Payload));
        Assert.Equal(second, stored.ETag);
    }

    [Fact]
    public async Task Write_StaleETag_ThrowsInconsistentStateAndKeepsStoredPayload()
    {
        var grain = NewGrain();
        var first = await Write(grain, "first", null);
        var second = await Write(grain, "second", first);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Write(grain, "stale", first));

        Assert.Equal(first, conflict.ExpectedETag);
        Assert.Equal(second, conflict.StoredETag);
        var stored = await Read(grain);
        Assert.Equal("second", Text(stored.Payload));
        Assert.Equal(second, stored.ETag);
    }

    [Fact]
    public async Task Write_NullETagWhenRowExists_ThrowsInconsistentState()
    {
        var grain = NewGrain();
        var first = await Write(grain, "first", null);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Write(grain, "again", null));

        Assert.Null(conflict.ExpectedETag);
        Assert.Equal(first, conflict.StoredETag);
        Assert.Equal("first", Text((await Read(grain)).Payload));
    }

    [Fact]
    public async Task Write_MalformedETag_ThrowsInconsistentState()
    {
        var grain = NewGrain();
        await Write(grain, "first", null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Write(grain, "second", "not-a-version"));
    }

    [Fact]
    public async Task Clear_CurrentETag_LeavesTombstoneWithNewETag()
    {
        var grain = NewGrain();
        var written = await Write(grain, "first", null);

        var tombstone = await Clear(grain, written);

        Assert.NotNull(tombstone);
        Assert.NotEqual(written, tombstone);
        var stored = await Read(grain);
        Assert.Null(stored.Payload);
        Assert.Equal(tombstone, stored.ETag);
    }

    [Fact]
    public async Task Write_TombstoneETagAfterClear_Succeeds()
    {
        var grain = NewGrain();
        var tombstone = await Clear(grain, await Write(grain, "first", null));

        var rewritten = await Write(grain, "again", tombstone);

        var stored = await Read(grain);
        Assert.Equal("again", Text(stored.Payload));
        Assert.Equal(rewritten, stored.ETag);
    }

    [Fact]
    public async Task Write_NullETagAfterClear_ThrowsInconsistentState()
    {
        var grain = NewGrain();
        var tombstone = await Clear(grain, await Write(grain, "first", null));

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Write(grain, "again", null));

        Assert.Equal(tombstone, conflict.StoredETag);
    }

    [Fact]
    public async Task Write_ETagFromBeforeClear_IsRefused()
    {
        var grain = NewGrain();
        var beforeClear = await Write(grain, "first", null);
        await Clear(grain, beforeClear);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Write(grain, "late", beforeClear));

        Assert.Null((await Read(grain)).Payload);
    }

    [Fact]
    public async Task Write_ETagFromBeforeClearAndRewrite_IsRefused()
    {
        var grain = NewGrain();
        var beforeClear = await Write(grain, "first", null);
        var rewritten = await Write(grain, "second", await Clear(grain, beforeClear));

        await Assert.ThrowsAsync<InconsistentStateException>(() => Write(grain, "late", beforeClear));

        var stored = await Read(grain);
        Assert.Equal("second", Text(stored.Payload));
        Assert.Equal(rewritten, stored.ETag);
    }

    [Fact]
    public async Task Clear_MissingRowWithNullETag_ReturnsNullAndCreatesNoRow()
    {
        var grain = NewGrain();

        var result = await Clear(grain, null);

        Assert.Null(result);
        Assert.Null(await Storage.ReadAsync(grain, State, Ct).WithTimeout());
    }

    [Fact]
    public async Task Clear_StaleETag_ThrowsInconsistentStateAndKeepsPayload()
    {
        var grain = NewGrain();
        var first = await Write(grain, "first", null);
        var second = await Write(grain, "second", first);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Clear(grain, first));

        Assert.Equal(second, conflict.StoredETag);
        var stored = await Read(grain);
        Assert.Equal("second", Text(stored.Payload));
        Assert.Equal(second, stored.ETag);
    }

    [Fact]
    public async Task Clear_NullETagWhenRowExists_ThrowsInconsistentState()
    {
        var grain = NewGrain();
        var written = await Write(grain, "first", null);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Clear(grain, null));

        Assert.Equal(written, conflict.StoredETag);
        Assert.Equal("first", Text((await Read(grain)).Payload));
    }

    [Fact]
    public async Task Write_ConcurrentWritersFromSameETag_ExactlyOneWins()
    {
        const int writers = 24;
        var grain = NewGrain();
        var start = await Write(grain, "start", null);

        var attempts = Enumerable.Range(0, writers)
            .Select(i => Storage.WriteAsync(new GrainStateWrite(grain, State, Bytes($"writer {i}"), start), Ct))
            .ToList();
        await attempts.SettleAsync();

        var winner = Assert.Single(attempts, t => t.IsCompletedSuccessfully);
        var losers = attempts.Where(t => !t.IsCompletedSuccessfully).Select(t => t.Exception?.InnerException?.GetType()).ToList();
        Assert.Equal(Enumerable.Repeat<Type?>(typeof(InconsistentStateException), writers - 1), losers);
        var stored = await Read(grain);
        Assert.Equal(await winner, stored.ETag);
        Assert.Equal($"writer {attempts.IndexOf(winner)}", Text(stored.Payload));
    }

    [Fact]
    public async Task Write_EmptyPayload_RoundTripsAsEmptyNotTombstone()
    {
        var grain = NewGrain();

        await Storage.WriteAsync(new GrainStateWrite(grain, State, ReadOnlyMemory<byte>.Empty, null), Ct).WithTimeout();

        var stored = await Read(grain);
        Assert.NotNull(stored.Payload);
        Assert.Empty(stored.Payload);
    }

    [Fact]
    public async Task Write_OneMebibytePayload_RoundTrips()
    {
        var grain = NewGrain();
        var payload = new byte[1024 * 1024];
        new Random(42).NextBytes(payload);

        await Storage.WriteAsync(new GrainStateWrite(grain, State, payload, null), Ct).WithTimeout();

        Assert.Equal(payload, (await Read(grain)).Payload);
    }

    [Fact]
    public async Task Write_UnicodeKeyAndStateName_RoundTrips()
    {
        var grain = new GrainId(GrainType.Create("test.unicode"), $"ключ-鍵-🔑-é-{Guid.NewGuid():N}");
        const string stateName = "état-✓-状態";

        await Storage.WriteAsync(new GrainStateWrite(grain, stateName, Bytes("unicode"), null), Ct).WithTimeout();

        var stored = await Storage.ReadAsync(grain, stateName, Ct).WithTimeout();
        Assert.Equal("unicode", Text(stored!.Payload));
    }

    [Fact]
    public async Task Read_KeyInAnotherUnicodeNormalization_FindsNothing()
    {
        // Keys are compared as exact text: "café" composed (U+00E9) and decomposed (e + U+0301) are different grains.
        var suffix = Guid.NewGuid().ToString("N");
        var composed = new GrainId(GrainType.Create("test.unicode"), $"caf\u00e9-{suffix}");
        var decomposed = new GrainId(composed.Type, $"cafe\u0301-{suffix}");
        await Write(composed, "composed", null);

        var stored = await Storage.ReadAsync(decomposed, State, Ct).WithTimeout();

        Assert.Null(stored);
    }

    [Fact]
    public async Task Write_DifferentStateNames_AreIndependent()
    {
        var grain = NewGrain();
        await Storage.WriteAsync(new GrainStateWrite(grain, "profile", Bytes("profile"), null), Ct).WithTimeout();

        await Storage.WriteAsync(new GrainStateWrite(grain, "inbox", Bytes("inbox"), null), Ct).WithTimeout();

        Assert.Equal("profile", Text((await Storage.ReadAsync(grain, "profile", Ct).WithTimeout())!.Payload));
        Assert.Equal("inbox", Text((await Storage.ReadAsync(grain, "inbox", Ct).WithTimeout())!.Payload));
    }

    [Fact]
    public async Task Write_DifferentGrainTypesWithSameKey_AreIndependent()
    {
        var key = Guid.NewGuid().ToString("N");
        var inbox = new GrainId(GrainType.Create("test.inbox"), key);
        var relay = new GrainId(GrainType.Create("test.relay"), key);
        await Write(inbox, "inbox", null);

        await Write(relay, "relay", null);

        Assert.Equal("inbox", Text((await Read(inbox)).Payload));
        Assert.Equal("relay", Text((await Read(relay)).Payload));
    }

    [Fact]
    public async Task Write_CanceledBeforeSubmit_IsCanceledAndWritesNothing()
    {
        var grain = NewGrain();
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Storage.WriteAsync(new GrainStateWrite(grain, State, Bytes("never"), null), canceled.Token));

        Assert.Null(await Storage.ReadAsync(grain, State, Ct).WithTimeout());
    }

    private static string Text(byte[]? payload) => payload is null ? "<tombstone>" : System.Text.Encoding.UTF8.GetString(payload);

    private Task<string> Write(GrainId grain, string text, string? expectedETag) =>
        Storage.WriteAsync(new GrainStateWrite(grain, State, Bytes(text), expectedETag), Ct).WithTimeout();

    private Task<string?> Clear(GrainId grain, string? expectedETag) =>
        Storage.ClearAsync(new GrainStateClear(grain, State, expectedETag), Ct).WithTimeout();

    private async Task<GrainStateRecord> Read(GrainId grain) =>
        await Storage.ReadAsync(grain, State, Ct).WithTimeout() ?? throw new Xunit.Sdk.XunitException($"No state row for {grain}.");
}
