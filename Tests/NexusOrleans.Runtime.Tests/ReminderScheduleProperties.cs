using FsCheck;
using FsCheck.Fluent;
using NexusOrleans.Runtime.Reminders;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Tests;

/// <summary>Properties of reminder due times (tick k is due at StartAt + k × Period), over random schedules and instants.</summary>
public sealed class ReminderScheduleProperties
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>A reminder starting within ~12 days of the epoch, with a period from 1 ms to 1 day.</summary>
    private static readonly Gen<ReminderEntry> Entries =
        from startSeconds in Gen.Choose(0, 1_000_000)
        from periodMs in Gen.Choose(1, 86_400_000)
        select new ReminderEntry(
            new GrainId(GrainType.Create("g"), "k"), "r", Epoch.AddSeconds(startSeconds), TimeSpan.FromMilliseconds(periodMs), null, "1");

    /// <summary>An entry, a tick index k ≥ 0, and a delay after that tick's due time (up to ~25 periods).</summary>
    private static readonly Gen<(ReminderEntry Entry, long Tick, TimeSpan Delay)> Ticks =
        from entry in Entries
        from tick in Gen.Choose(0, 10_000)
        from delayPermille in Gen.Choose(0, 25_000)
        select (entry, (long)tick, TimeSpan.FromTicks(entry.Period.Ticks * delayPermille / 1000));

    [Fact]
    public void NextDueAfterTick_WhenTheFollowingDueTimeIsAhead_IsThatDueTime()
        => Check.One(Runs, Prop.ForAll(Ticks.ToArbitrary(), sample =>
        {
            var (entry, tick, delay) = sample;
            var due = DueAt(entry, tick);
            var now = due + delay;
            var next = ReminderSchedule.NextDueAfterTick(entry, due, now);
            return due + entry.Period > now ? next == due + entry.Period : true;
        }));

    [Fact]
    public void NextDueAfterTick_WhenTicksWereOverrun_IsTheLatestPassedDueTime()
        => Check.One(Runs, Prop.ForAll(Ticks.ToArbitrary(), sample =>
        {
            var (entry, tick, delay) = sample;
            var due = DueAt(entry, tick);
            var now = due + delay;
            var next = ReminderSchedule.NextDueAfterTick(entry, due, now);
            return IsOnGrid(entry, next) && next > due && (due + entry.Period > now || (next <= now && next + entry.Period > now));
        }));

    [Fact]
    public void NextDueAfter_IsTheFirstDueTimeStrictlyAfterTheInstant()
        => Check.One(Runs, Prop.ForAll(Ticks.ToArbitrary(), sample =>
        {
            var (entry, tick, delay) = sample;
            var instant = DueAt(entry, tick) + delay;
            var next = ReminderSchedule.NextDueAfter(entry, instant);
            return IsOnGrid(entry, next) && next > instant && (next == entry.StartAt || next - entry.Period <= instant);
        }));

    [Fact]
    public void FirstDueOnLoad_WithoutARecordedTick_FiresTheLatestPassedDueTimeAtOnce()
        => Check.One(Runs, Prop.ForAll(Ticks.ToArbitrary(), sample =>
        {
            var (entry, tick, delay) = sample;
            var now = DueAt(entry, tick) + delay;
            var first = ReminderSchedule.FirstDueOnLoad(entry, now);
            return IsOnGrid(entry, first) && first <= now && first + entry.Period > now;
        }));

    [Fact]
    public void FirstDueOnLoad_WhenTheLatestPassedTickWasDelivered_WaitsForTheNextOne()
        => Check.One(Runs, Prop.ForAll(Ticks.ToArbitrary(), sample =>
        {
            var (entry, tick, delay) = sample;
            var now = DueAt(entry, tick) + delay;
            var latestPassed = ReminderSchedule.FirstDueOnLoad(entry, now);
            var first = ReminderSchedule.FirstDueOnLoad(entry with { LastTickDue = latestPassed }, now);
            return first == latestPassed + entry.Period && first > now;
        }));

    [Fact]
    public void FirstDueOnLoad_BeforeTheStart_IsTheStart()
        => Check.One(Runs, Prop.ForAll(Entries.ToArbitrary(), entry =>
            ReminderSchedule.FirstDueOnLoad(entry, entry.StartAt - TimeSpan.FromMilliseconds(1)) == entry.StartAt));

    private static DateTimeOffset DueAt(ReminderEntry entry, long tick) => entry.StartAt + TimeSpan.FromTicks(entry.Period.Ticks * tick);

    private static bool IsOnGrid(ReminderEntry entry, DateTimeOffset instant)
        => instant >= entry.StartAt && (instant - entry.StartAt).Ticks % entry.Period.Ticks == 0;
}
