using System.Globalization;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing;

namespace NexusOrleans.Runtime.Tests;

/// <summary>Durable reminders, on every storage provider.</summary>
public abstract class ReminderTests : SiloTest
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Reminder_WhenDue_ActivatesTheGrainAndDeliversTheTick()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<IReminderGrain>("k");
        await grain.Register("r", Minute, Minute);
        await grain.Deactivate();
        await Probe.WaitFor("deactivate:k:ApplicationRequested");

        Clock.Advance(Minute);

        await Probe.WaitFor(Tick("k", "r", Minute));
        Assert.Equal(2, Probe.Count("activate:k"));
    }

    [Fact]
    public async Task Reminder_TicksEveryPeriod()
    {
        var silo = await StartSiloAsync();
        await silo.Grains.GetGrain<IReminderGrain>("k").Register("r", Minute, 2 * Minute);

        for (var minute = 1; minute <= 5; minute++)
        {
            Clock.Advance(Minute);
            if (minute % 2 == 1)
            {
                await Probe.WaitFor(Tick("k", "r", minute * Minute));
            }
        }

        Assert.Equal(3, Probe.Events.Count(e => e.StartsWith("reminder:k:r:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reminder_SurvivesARestartAndFiresTheMissedTickOnceAtStart()
    {
        var first = await StartSiloAsync();
        await first.Grains.GetGrain<IReminderGrain>("k").Register("r", Minute, Minute);
        await first.StopAsync();

        Clock.Advance(10 * Minute);
        await StartSiloAsync();

        await Probe.WaitFor(Tick("k", "r", 10 * Minute));
        Clock.Advance(Minute);
        await Probe.WaitFor(Tick("k", "r", 11 * Minute));
        Assert.Equal(2, Probe.Events.Count(e => e.StartsWith("reminder:k:r:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DeliveredTick_IsNotDeliveredAgainAfterARestart()
    {
        var first = await StartSiloAsync();
        await first.Grains.GetGrain<IReminderGrain>("k").Register("r", Minute, 10 * Minute);
        Clock.Advance(Minute);
        await Probe.WaitFor(Tick("k", "r", Minute));
        var table = StorageOf(first).Reminders;
        var id = new GrainId(GrainType.Create("reminder"), "k");
        await Eventually(
            async () => (await table.ReadAsync(id, "r", CancellationToken.None))?.LastTickDue == Start + Minute,
            "the delivered tick is recorded");
        await first.StopAsync();

        Clock.Advance(2 * Minute);
        await StartSiloAsync();
        Clock.Advance(8 * Minute);

        await Probe.WaitFor(Tick("k", "r", 11 * Minute));
        Assert.Equal(1, Probe.Count(Tick("k", "r", Minute)));
        Assert.Equal(2, Probe.Events.Count(e => e.StartsWith("reminder:k:r:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reminder_WithAPeriodBelowTheMinimum_IsRefusedAndNotStored()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<IReminderGrain>("k");

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Register("r", Minute, TimeSpan.FromSeconds(30)));

        Assert.Contains("at least 00:01:00", error.Message, StringComparison.Ordinal);
        Assert.Empty(await grain.Names());
    }

    [Fact]
    public async Task MinimumPeriod_IsConfigurable()
    {
        var silo = await StartSiloAsync(reminders: options => options.MinimumPeriod = TimeSpan.FromSeconds(5));
        await silo.Grains.GetGrain<IReminderGrain>("k").Register("r", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

        Clock.Advance(TimeSpan.FromSeconds(5));
        await Probe.WaitFor(Tick("k", "r", TimeSpan.FromSeconds(5)));
        Clock.Advance(TimeSpan.FromSeconds(5));
        await Probe.WaitFor(Tick("k", "r", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task UnregisteredReminder_IsRemovedAndNeverFires()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<IReminderGrain>("k");
        await grain.Register("gone", Minute, Minute);
        await grain.Register("kept", Minute + TimeSpan.FromMilliseconds(1), Minute);

        await grain.Unregister("gone");
        Clock.Advance(2 * Minute);

        // "kept" is due 1 ms after "gone" would have been, and ticks reach the grain in due order.
        await Probe.WaitFor(Tick("k", "kept", Minute + TimeSpan.FromMilliseconds(1)));
        Assert.DoesNotContain(Probe.Events, e => e.StartsWith("reminder:k:gone:", StringComparison.Ordinal));
        Assert.Equal(["kept"], await grain.Names());
    }

    [Fact]
    public async Task ReRegisteredReminder_FollowsItsNewSchedule()
    {
        var silo = await StartSiloAsync();
        var grain = silo.Grains.GetGrain<IReminderGrain>("k");
        await grain.Register("r", Minute, Minute);

        await grain.Register("r", 5 * Minute, 5 * Minute);
        Clock.Advance(5 * Minute);

        await Probe.WaitFor(Tick("k", "r", 5 * Minute));
        Assert.Single(Probe.Events, e => e.StartsWith("reminder:k:r:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReminderTicks_CountAsCallsForIdleCollection()
    {
        var silo = await StartSiloAsync(options => options.CollectionAge = 15 * Minute);
        var grain = silo.Grains.GetGrain<IReminderGrain>("k");
        await grain.Register("r", 5 * Minute, 5 * Minute);

        for (var minute = 1; minute <= 40; minute++)
        {
            Clock.Advance(Minute);
            if (minute % 5 == 0)
            {
                await Probe.WaitFor(Tick("k", "r", minute * Minute));
            }
        }

        Assert.DoesNotContain("deactivate:k:IdleCollection", Probe.Events);
        Assert.Equal(1, Probe.Count("activate:k"));
    }

    [Fact]
    public async Task Grain_NotImplementingIRemindable_CannotRegisterAReminder()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grains.GetGrain<IForgetfulGrain>("k").Register("r"));

        Assert.Contains("IRemindable", error.Message, StringComparison.Ordinal);
    }

    private DateTimeOffset Start { get; } = new ManualTimeProvider().GetUtcNow();

    private string Tick(string key, string name, TimeSpan sinceStart)
        => $"reminder:{key}:{name}:{(Start + sinceStart).ToString("O", CultureInfo.InvariantCulture)}";
}

public sealed class ReminderTestsInMemory : ReminderTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class ReminderTestsOnSqlite : ReminderTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class ReminderTestsOnPostgres : ReminderTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
