using NexusOrleans.Runtime.Storage;
using Xunit;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Storage;

/// <summary>
/// The <see cref="IReminderTable"/> contract. Every provider runs these same tests through a derived class.
/// </summary>
public abstract class ReminderTableContractTests : StorageContractTests
{
    private static readonly DateTimeOffset Start = new(2031, 5, 17, 8, 9, 10, 123, TimeSpan.Zero);
    private static readonly TimeSpan Hourly = TimeSpan.FromHours(1);

    protected IReminderTable Reminders => Provider.Reminders;

    [Fact]
    public async Task Read_MissingReminder_ReturnsNull()
    {
        Assert.Null(await Reminders.ReadAsync(NewGrain(), "missing", Ct).WithTimeout());
    }

    [Fact]
    public async Task Upsert_NewReminder_IsReadBackWithReturnedETag()
    {
        var grain = NewGrain();

        var eTag = await Upsert(grain, "expiry", Start, Hourly, lastTickDue: null);

        var stored = await Reminders.ReadAsync(grain, "expiry", Ct).WithTimeout();
        Assert.Equal(new ReminderEntry(grain, "expiry", Start, Hourly, null, eTag), stored);
    }

    [Fact]
    public async Task Upsert_ExistingReminder_ReplacesItWithNewETag()
    {
        var grain = NewGrain();
        var first = await Upsert(grain, "expiry", Start, Hourly, lastTickDue: Start);
        var later = Start.AddDays(1);

        var second = await Upsert(grain, "expiry", later, TimeSpan.FromMinutes(5), lastTickDue: null);

        Assert.NotEqual(first, second);
        var stored = await Reminders.ReadAsync(grain, "expiry", Ct).WithTimeout();
        Assert.Equal(new ReminderEntry(grain, "expiry", later, TimeSpan.FromMinutes(5), null, second), stored);
    }

    [Fact]
    public async Task Upsert_AfterRemove_NeverReturnsAnEarlierETag()
    {
        var grain = NewGrain();
        var first = await Upsert(grain, "expiry", Start, Hourly, null);
        await Reminders.RemoveAsync(grain, "expiry", Ct).WithTimeout();

        var second = await Upsert(grain, "expiry", Start, Hourly, null);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task ReadByGrain_ReturnsOnlyThatGrainsRemindersInNameOrder()
    {
        var grain = NewGrain();
        var other = NewGrain();
        var b = await Upsert(grain, "b", Start, Hourly, null);
        var a = await Upsert(grain, "a", Start, Hourly, null);
        await Upsert(other, "a", Start, Hourly, null);

        var stored = await Reminders.ReadAsync(grain, Ct).WithTimeout();

        Assert.Equal(
            [new ReminderEntry(grain, "a", Start, Hourly, null, a), new ReminderEntry(grain, "b", Start, Hourly, null, b)],
            stored);
    }

    [Fact]
    public async Task ReadAll_ReturnsRemindersOfEveryGrain()
    {
        var first = NewGrain("test.first");
        var second = NewGrain("test.second");
        var firstETag = await Upsert(first, "tick", Start, Hourly, null);
        var secondETag = await Upsert(second, "tick", Start, Hourly, Start);

        var all = await Reminders.ReadAllAsync(Ct).WithTimeout();

        Assert.Contains(new ReminderEntry(first, "tick", Start, Hourly, null, firstETag), all);
        Assert.Contains(new ReminderEntry(second, "tick", Start, Hourly, Start, secondETag), all);
    }

    [Fact]
    public async Task Remove_ExistingReminder_ReturnsTrueAndDeletesIt()
    {
        var grain = NewGrain();
        await Upsert(grain, "expiry", Start, Hourly, null);

        var removed = await Reminders.RemoveAsync(grain, "expiry", Ct).WithTimeout();

        Assert.True(removed);
        Assert.Null(await Reminders.ReadAsync(grain, "expiry", Ct).WithTimeout());
        Assert.Empty(await Reminders.ReadAsync(grain, Ct).WithTimeout());
    }

    [Fact]
    public async Task Remove_MissingReminder_ReturnsFalse()
    {
        Assert.False(await Reminders.RemoveAsync(NewGrain(), "missing", Ct).WithTimeout());
    }

    [Fact]
    public async Task RecordTick_CurrentETag_SetsLastTickDueAndKeepsETag()
    {
        var grain = NewGrain();
        var eTag = await Upsert(grain, "expiry", Start, Hourly, null);
        var due = Start.AddHours(3);

        var recorded = await Reminders.RecordTickAsync(grain, "expiry", eTag, due, Ct).WithTimeout();

        Assert.True(recorded);
        var stored = await Reminders.ReadAsync(grain, "expiry", Ct).WithTimeout();
        Assert.Equal(new ReminderEntry(grain, "expiry", Start, Hourly, due, eTag), stored);
    }

    [Fact]
    public async Task RecordTick_ETagBeforeReRegistration_IsRefused()
    {
        var grain = NewGrain();
        var old = await Upsert(grain, "expiry", Start, Hourly, null);
        var current = await Upsert(grain, "expiry", Start, Hourly, null);

        var recorded = await Reminders.RecordTickAsync(grain, "expiry", old, Start.AddHours(1), Ct).WithTimeout();

        Assert.False(recorded);
        var stored = await Reminders.ReadAsync(grain, "expiry", Ct).WithTimeout();
        Assert.Null(stored!.LastTickDue);
        Assert.Equal(current, stored.ETag);
    }

    [Fact]
    public async Task RecordTick_ETagBeforeRemoveAndReRegistration_IsRefused()
    {
        var grain = NewGrain();
        var old = await Upsert(grain, "expiry", Start, Hourly, null);
        await Reminders.RemoveAsync(grain, "expiry", Ct).WithTimeout();
        await Upsert(grain, "expiry", Start, Hourly, null);

        var recorded = await Reminders.RecordTickAsync(grain, "expiry", old, Start.AddHours(1), Ct).WithTimeout();

        Assert.False(recorded);
        Assert.Null((await Reminders.ReadAsync(grain, "expiry", Ct).WithTimeout())!.LastTickDue);
    }

    [Fact]
    public async Task RecordTick_RemovedReminder_ReturnsFalse()
    {
        var grain = NewGrain();
        var eTag = await Upsert(grain, "expiry", Start, Hourly, null);
        await Reminders.RemoveAsync(grain, "expiry", Ct).WithTimeout();

        Assert.False(await Reminders.RecordTickAsync(grain, "expiry", eTag, Start, Ct).WithTimeout());
        Assert.Null(await Reminders.ReadAsync(grain, "expiry", Ct).WithTimeout());
    }

    [Fact]
    public async Task Upsert_MillisecondTimesInAnyOffset_RoundTripExactly()
    {
        var grain = NewGrain();
        var start = new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));
        var period = new TimeSpan(0, 1, 2, 3, 456);
        var lastTick = new DateTimeOffset(2030, 1, 2, 4, 6, 8, 999, TimeSpan.FromHours(-7));

        await Upsert(grain, "precise", start, period, lastTick);

        var stored = (await Reminders.ReadAsync(grain, "precise", Ct).WithTimeout())!;
        Assert.Equal(start.ToUnixTimeMilliseconds(), stored.StartAt.ToUnixTimeMilliseconds());
        Assert.Equal(period, stored.Period);
        Assert.Equal(lastTick.ToUnixTimeMilliseconds(), stored.LastTickDue!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(start.UtcTicks, stored.StartAt.UtcTicks);
    }

    [Fact]
    public async Task RecordTick_MillisecondDueTime_RoundTripsExactly()
    {
        var grain = NewGrain();
        var eTag = await Upsert(grain, "precise", Start, Hourly, null);
        var due = new DateTimeOffset(2031, 5, 17, 9, 9, 10, 1, TimeSpan.Zero);

        await Reminders.RecordTickAsync(grain, "precise", eTag, due, Ct).WithTimeout();

        Assert.Equal(due.UtcTicks, (await Reminders.ReadAsync(grain, "precise", Ct).WithTimeout())!.LastTickDue!.Value.UtcTicks);
    }

    [Fact]
    public async Task Upsert_UnicodeKeyAndName_RoundTrips()
    {
        var grain = new GrainId(GrainType.Create("test.unicode"), $"ключ-🔑-{Guid.NewGuid():N}");

        var eTag = await Upsert(grain, "напоминание-⏰", Start, Hourly, null);

        Assert.Equal(
            [new ReminderEntry(grain, "напоминание-⏰", Start, Hourly, null, eTag)],
            await Reminders.ReadAsync(grain, Ct).WithTimeout());
    }

    [Fact]
    public async Task ReadPartitions_ReturnsExactlyTheRemindersOfGrainsInThosePartitions()
    {
        const int partitionCount = 7;
        var grains = Enumerable.Range(0, 40).Select(_ => NewGrain("test.partitioned")).ToList();
        foreach (var grain in grains)
        {
            await Upsert(grain, "r", Start, Hourly, null);
        }

        int[] wanted = [0, 3, 6];
        var read = await Reminders.ReadPartitionsAsync(wanted, partitionCount, Ct).WithTimeout();

        var expected = grains.Where(grain => wanted.Contains(GrainPartitions.Of(grain, partitionCount))).Select(grain => grain.Key).Order(StringComparer.Ordinal);
        Assert.Equal(expected, read.Where(entry => entry.GrainId.Type.Name == "test.partitioned").Select(entry => entry.GrainId.Key));
    }

    [Fact]
    public async Task ReadPartitions_PartitionOutsideTheCount_ThrowsArgumentOutOfRange()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Reminders.ReadPartitionsAsync([7], 7, Ct));
    }

    private Task<string> Upsert(GrainId grain, string name, DateTimeOffset startAt, TimeSpan period, DateTimeOffset? lastTickDue) =>
        Reminders.UpsertAsync(new ReminderEntry(grain, name, startAt, period, lastTickDue, ETag: null), Ct).WithTimeout();
}
