using NexusOrleans.Grains.Epochs;

namespace NexusOrleans.Grains.Tests.Epochs;

public sealed class ServiceHoursTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FullHours_RegisteredForTwoHoursFiftyNineMinutes_CountsTwoHours()
    {
        var hours = ServiceHours.FullHours([new ServiceInterval(Ten.AddMinutes(1), Ten.AddMinutes(180))]);

        Assert.Equal([Ten.AddHours(1), Ten.AddHours(2)], hours);
    }

    [Fact]
    public void FullHours_ExactlyOneHourOnTheBoundaries_CountsIt()
    {
        Assert.Equal([Ten], ServiceHours.FullHours([new ServiceInterval(Ten, Ten.AddHours(1))]));
    }

    [Fact]
    public void FullHours_ACrashInTheMiddleOfAnHour_LosesThatWholeHour()
    {
        // Serving 10:00–10:30, down, back at 10:31 until 12:00: 10:00 is lost, 11:00 counts.
        var hours = ServiceHours.FullHours(
        [
            new ServiceInterval(Ten, Ten.AddMinutes(30)),
            new ServiceInterval(Ten.AddMinutes(31), Ten.AddHours(2)),
        ]);

        Assert.Equal([Ten.AddHours(1)], hours);
        Assert.False(ServiceHours.ServedWholeHour([new ServiceInterval(Ten, Ten.AddMinutes(30)), new ServiceInterval(Ten.AddMinutes(31), Ten.AddHours(2))], Ten));
    }

    [Fact]
    public void FullHours_OverlappingIntervals_CountEachHourOnce()
    {
        var hours = ServiceHours.FullHours([new ServiceInterval(Ten, Ten.AddHours(2)), new ServiceInterval(Ten.AddMinutes(30), Ten.AddHours(2))]);

        Assert.Equal([Ten, Ten.AddHours(1)], hours);
    }

    [Fact]
    public void FullHours_AnIntervalEndingBeforeItStarts_IsRefused()
    {
        var exception = Assert.Throws<ArgumentException>(() => ServiceHours.FullHours([new ServiceInterval(Ten, Ten.AddMinutes(-1))]));

        Assert.Contains("ends", exception.Message);
    }

    [Fact]
    public void ServedWholeHour_NotAnHourStart_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => ServiceHours.ServedWholeHour([], Ten.AddMinutes(5)));
    }

    [Fact]
    public void HourOf_AnyInstantInsideTheHour_IsItsStartInUtc()
    {
        Assert.Equal(Ten, ServiceHours.HourOf(new DateTimeOffset(2026, 11, 21, 12, 59, 59, 999, TimeSpan.FromHours(2))));
    }
}
