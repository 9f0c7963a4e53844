using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Relays;

/// <summary>
/// The canary record of a relay under the cluster's manual clock: delivered in time counts with its latency, anything
/// else is lost once its deadline passes, whatever order the calls arrive in.
/// </summary>
public abstract class RelayQualityTests : NetworkSiloTest
{
    private static readonly TimeSpan CanaryTimeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset TenOhFive = new(2026, 1, 1, 10, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Ten = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly string _relay = RelayKey();

    protected override void ConfigureServices(IServiceCollection services)
        => services.AddOptions<CanaryOptions>().Configure(options => options.Timeout = CanaryTimeout);

    [Fact]
    public async Task CanaryDelivered_WithinTheTimeout_CountsAsDeliveredWithItsLatency()
    {
        var quality = await StartAtAsync(TenOhFive);
        await quality.CanarySent("c1", Now);

        Clock.Advance(TimeSpan.FromSeconds(2));
        var counted = await quality.CanaryDelivered("c1", Now);

        Assert.True(counted);
        var hour = await quality.GetPeriod(Ten, TimeSpan.FromHours(1));
        Assert.Equal((1, 1, 0, 0), (hour.Sent, hour.Delivered, hour.Lost, hour.Pending));
        Assert.Equal(TimeSpan.FromSeconds(2), hour.MedianLatency);
    }

    [Fact]
    public async Task Canary_NotDeliveredWithinTheTimeout_IsPendingUntilTheDeadlineAndLostAfterIt()
    {
        var quality = await StartAtAsync(TenOhFive);
        await quality.CanarySent("c1", Now);

        Clock.Advance(CanaryTimeout);
        var atDeadline = await quality.GetPeriod(Ten, TimeSpan.FromHours(1));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var afterDeadline = await quality.GetPeriod(Ten, TimeSpan.FromHours(1));

        Assert.Equal((1, 0, 0, 1), (atDeadline.Sent, atDeadline.Delivered, atDeadline.Lost, atDeadline.Pending));
        Assert.Equal((1, 0, 1, 0), (afterDeadline.Sent, afterDeadline.Delivered, afterDeadline.Lost, afterDeadline.Pending));
        Assert.Null(afterDeadline.MedianLatency);
    }

    [Fact]
    public async Task CanaryDelivered_AfterTheDeadline_IsLost()
    {
        var quality = await StartAtAsync(TenOhFive);
        await quality.CanarySent("c1", Now);
        Clock.Advance(CanaryTimeout + TimeSpan.FromSeconds(1));

        Assert.False(await quality.CanaryDelivered("c1", Now));

        var hour = await quality.GetPeriod(Ten, TimeSpan.FromHours(1));
        Assert.Equal((1, 0, 1), (hour.Sent, hour.Delivered, hour.Lost));
        Assert.Null(hour.MedianLatency);
    }

    [Fact]
    public async Task CanaryDelivered_ArrivingFirstButRecordedAfterTheDeadline_IsLostEvenWithAnEarlierStatedTime()
    {
        // The probe saw the canary at +5 s, but its call reaches the grain only after the deadline (in cluster time),
        // and before anyone has read the hour. The verdict was due at the deadline, so the late call cannot make it
        // "delivered": a read at the deadline would have said lost, and an epoch may have paid on that.
        var quality = await StartAtAsync(TenOhFive);
        var sentAt = Now;
        await quality.CanarySent("c1", sentAt);
        Clock.Advance(CanaryTimeout + TimeSpan.FromSeconds(1));

        Assert.False(await quality.CanaryDelivered("c1", sentAt.AddSeconds(5)));

        var hour = await quality.GetPeriod(Ten, TimeSpan.FromHours(1));
        Assert.Equal((1, 0, 1), (hour.Sent, hour.Delivered, hour.Lost));
    }

    [Fact]
    public async Task DeliveryAndRead_RacingPastTheDeadline_AgreeThatEveryCanaryIsLostWhicheverRunsFirst()
    {
        var quality = await StartAtAsync(TenOhFive);
        var sentAt = Now;
        for (var i = 0; i < 20; i++)
        {
            await quality.CanarySent($"c{i}", sentAt);
        }

        Clock.Advance(CanaryTimeout + TimeSpan.FromSeconds(1));
        var calls = Enumerable.Range(0, 20)
            .Select(async i =>
            {
                var read = quality.GetPeriod(Ten, TimeSpan.FromHours(1));
                var delivered = quality.CanaryDelivered($"c{i}", sentAt.AddSeconds(1));
                return (Hour: await read, Counted: await delivered);
            })
            .ToArray();
        var outcomes = await Task.WhenAll(calls);

        Assert.All(outcomes, outcome => Assert.False(outcome.Counted));
        Assert.All(outcomes, outcome => Assert.Equal((20, 0, 20), (outcome.Hour.Sent, outcome.Hour.Delivered, outcome.Hour.Lost)));
    }

    [Fact]
    public async Task GetHour_OfSeveralDeliveries_AnswersTheLowerMedianLatency()
    {
        var quality = await StartAtAsync(TenOhFive);
        var sentAt = Now;
        foreach (var (id, _) in Latencies)
        {
            await quality.CanarySent(id, sentAt);
        }

        foreach (var (id, seconds) in Latencies.OrderBy(pair => pair.Seconds))
        {
            Clock.Advance(sentAt.AddSeconds(seconds) - Now);
            Assert.True(await quality.CanaryDelivered(id, Now));
        }

        var hour = await quality.GetPeriod(Ten, TimeSpan.FromHours(1));
        Assert.Equal((4, 4, 0), (hour.Sent, hour.Delivered, hour.Lost));
        Assert.Equal(TimeSpan.FromSeconds(3), hour.MedianLatency);
    }

    [Fact]
    public async Task Canary_SentInTheLastSecondsOfAnHour_CountsInThatHour()
    {
        var quality = await StartAtAsync(Ten.AddMinutes(59).AddSeconds(55));
        await quality.CanarySent("c1", Now);
        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.True(await quality.CanaryDelivered("c1", Now));

        Assert.Equal((1, 1), ((await quality.GetPeriod(Ten, TimeSpan.FromHours(1))).Sent, (await quality.GetPeriod(Ten, TimeSpan.FromHours(1))).Delivered));
        Assert.Equal(0, (await quality.GetPeriod(Ten.AddHours(1), TimeSpan.FromHours(1))).Sent);
    }

    [Fact]
    public async Task CanarySentTwice_AndDeliveredTwice_CountsOnce()
    {
        var quality = await StartAtAsync(TenOhFive);
        await quality.CanarySent("c1", Now);
        await quality.CanarySent("c1", Now);

        Assert.True(await quality.CanaryDelivered("c1", Now));
        Assert.False(await quality.CanaryDelivered("c1", Now));
        Assert.False(await quality.CanaryDelivered("never-sent", Now));

        var hour = await quality.GetPeriod(Ten, TimeSpan.FromHours(1));
        Assert.Equal((1, 1, 0), (hour.Sent, hour.Delivered, hour.Lost));
    }

    [Fact]
    public async Task Hours_OlderThanThePreviousOne_AreDroppedFromStorageAndAnsweredEmpty()
    {
        var silo = await StartAtSiloAsync(TenOhFive);
        var quality = silo.Grains.GetRelayQuality(_relay);
        for (var hour = 0; hour < 4; hour++)
        {
            await quality.CanarySent($"c{hour}", Now);
            Clock.Advance(TimeSpan.FromHours(1));
        }

        await quality.CanarySent("last", Now);

        var stored = await StoredStateAsync<RelayQualityState>(silo, "relay-quality", _relay);
        Assert.Equal(["c3", "last"], stored!.Canaries.Select(canary => canary.Id));
        Assert.Equal(0, (await quality.GetPeriod(Ten.AddHours(2), TimeSpan.FromHours(1))).Sent);
        Assert.Equal(1, (await quality.GetPeriod(Ten.AddHours(3), TimeSpan.FromHours(1))).Sent);
        Assert.Equal(1, (await quality.GetPeriod(Ten.AddHours(4), TimeSpan.FromHours(1))).Sent);
    }

    [Fact]
    public async Task Canaries_AcrossASiloRestart_AreStillJudged()
    {
        var first = await StartAtSiloAsync(TenOhFive);
        await first.Grains.GetRelayQuality(_relay).CanarySent("in-time", Now);
        await first.Grains.GetRelayQuality(_relay).CanarySent("lost", Now);
        Clock.Advance(TimeSpan.FromSeconds(4));
        await first.StopAsync();

        var second = await StartSiloAsync();
        var quality = second.Grains.GetRelayQuality(_relay);
        Assert.True(await quality.CanaryDelivered("in-time", Now));
        Clock.Advance(CanaryTimeout);

        var hour = await quality.GetPeriod(Ten, TimeSpan.FromHours(1));
        Assert.Equal((2, 1, 1), (hour.Sent, hour.Delivered, hour.Lost));
        Assert.Equal(TimeSpan.FromSeconds(4), hour.MedianLatency);
    }

    [Fact]
    public async Task GetPeriod_LongerThanAnHourOrEmpty_Throws()
    {
        var quality = await StartAtAsync(TenOhFive);

        await Assert.ThrowsAsync<ArgumentException>(() => quality.GetPeriod(Ten, TimeSpan.FromHours(2)));
        await Assert.ThrowsAsync<ArgumentException>(() => quality.GetPeriod(Ten, TimeSpan.Zero));
    }

    [Fact]
    public async Task GetPeriod_AMinuteOfAnHour_CountsOnlyTheCanariesSentInThatMinute()
    {
        var quality = await StartAtAsync(Ten.AddSeconds(5));
        await quality.CanarySent("a", Now);
        Clock.Advance(TimeSpan.FromSeconds(65));
        await quality.CanarySent("b", Now);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await quality.CanaryDelivered("b", Now);
        Clock.Advance(TimeSpan.FromSeconds(48));
        await quality.CanarySent("c", Now);
        Clock.Advance(TimeSpan.FromSeconds(3));
        await quality.CanaryDelivered("c", Now);

        var first = await quality.GetPeriod(Ten, TimeSpan.FromMinutes(1));
        var second = await quality.GetPeriod(Ten.AddMinutes(1), TimeSpan.FromMinutes(1));

        Assert.Equal(1, first.Sent);
        Assert.Equal((2, 2), (second.Sent, second.Delivered));
        Assert.Equal(TimeSpan.FromSeconds(1), second.MedianLatency);
        Assert.Equal(3, (await quality.GetPeriod(Ten, TimeSpan.FromHours(1))).Sent);
    }

    private static readonly (string Id, int Seconds)[] Latencies = [("a", 1), ("b", 5), ("c", 3), ("d", 10)];

    private async Task<IRelayQualityGrain> StartAtAsync(DateTimeOffset at) => (await StartAtSiloAsync(at)).Grains.GetRelayQuality(_relay);

    private async Task<TestSilo> StartAtSiloAsync(DateTimeOffset at)
    {
        Clock.Advance(at - Clock.GetUtcNow());
        return await StartSiloAsync();
    }

    private static string RelayKey()
    {
        using var keys = ChatKeys.FromMnemonic(Bip39.Generate());
        return keys.Identity.ToString();
    }
}

public sealed class RelayQualityTestsInMemory : RelayQualityTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class RelayQualityTestsOnSqlite : RelayQualityTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}
