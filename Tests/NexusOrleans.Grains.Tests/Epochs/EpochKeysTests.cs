using FsCheck;
using FsCheck.Fluent;
using NexusOrleans.Grains.Epochs;

namespace NexusOrleans.Grains.Tests.Epochs;

/// <summary>Epoch boundaries and keys for hour-long and shorter epochs, and the pro-rata reward of a short epoch.</summary>
public sealed class EpochKeysTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Every epoch length the rules accept: the whole-second divisors of an hour from 10 s.</summary>
    private static readonly TimeSpan[] Lengths =
        [.. Enumerable.Range(10, 3591).Where(seconds => 3600 % seconds == 0).Select(seconds => TimeSpan.FromSeconds(seconds))];

    [Fact]
    public void Format_AnHourAMinuteAndHalfAMinute_WritesTheHourTheMinuteAndTheSecond()
    {
        Assert.Equal("2026-11-21T10", EpochKeys.Format(Ten));
        Assert.Equal("2026-11-21T10", EpochKeys.Format(Ten, EpochKeys.Hour));
        Assert.Equal("2026-11-21T10:00", EpochKeys.Format(Ten, TimeSpan.FromMinutes(1)));
        Assert.Equal("2026-11-21T10:45", EpochKeys.Format(Ten.AddMinutes(45), TimeSpan.FromMinutes(15)));
        Assert.Equal("2026-11-21T10:07:30", EpochKeys.Format(Ten.AddSeconds(450), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Format_AStartInsideAnEpoch_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => EpochKeys.Format(Ten.AddMinutes(7), TimeSpan.FromMinutes(5)));
        Assert.Throws<ArgumentException>(() => EpochKeys.Format(Ten.AddMinutes(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(420)]
    [InlineData(7200)]
    public void LengthProblem_NotADivisorOfAnHourFromTenSeconds_IsNamed(int seconds)
    {
        var problem = EpochKeys.LengthProblem(TimeSpan.FromSeconds(seconds));

        Assert.NotNull(problem);
        Assert.Contains(TimeSpan.FromSeconds(seconds).ToString(), problem, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => EpochKeys.StartOf(Ten, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void LengthProblem_AFractionOfASecond_IsNamed()
    {
        Assert.NotNull(EpochKeys.LengthProblem(TimeSpan.FromMilliseconds(10_500)));
        Assert.Null(EpochKeys.LengthProblem(TimeSpan.FromMinutes(1)));
        Assert.Null(EpochKeys.LengthProblem(EpochKeys.Hour));
    }

    [Fact]
    public void TryParse_WithALength_AcceptsOnlyThatLengthsKeys()
    {
        var minute = TimeSpan.FromMinutes(1);

        Assert.True(EpochKeys.TryParse("2026-11-21T10:05", minute, out var start));
        Assert.Equal(Ten.AddMinutes(5), start);
        Assert.False(EpochKeys.TryParse("2026-11-21T10", minute, out _));
        Assert.False(EpochKeys.TryParse("2026-11-21T10:05:30", minute, out _));
        Assert.False(EpochKeys.TryParse("2026-11-21T10:05", TimeSpan.FromMinutes(10), out _));
        Assert.True(EpochKeys.TryParse("2026-11-21T10", EpochKeys.Hour, out _));
        Assert.False(EpochKeys.TryParse("2026-11-21T10:00", EpochKeys.Hour, out _));
    }

    [Fact]
    public void StartOf_AnyInstantAndLength_IsTheEpochThatHoldsItAndItsKeyParsesBack()
    {
        var cases =
            from seconds in Gen.Choose(0, 400_000_000)
            from ticks in Gen.Choose(0, 9_999_999)
            from index in Gen.Choose(0, Lengths.Length - 1)
            select (Instant: DateTimeOffset.UnixEpoch.AddYears(50).AddSeconds(seconds).AddTicks(ticks), Length: Lengths[index]);
        Prop.ForAll(
                cases.ToArbitrary(),
                item =>
                {
                    var start = EpochKeys.StartOf(item.Instant, item.Length);
                    var key = EpochKeys.Format(start, item.Length);
                    return start <= item.Instant
                        && item.Instant < start + item.Length
                        && EpochKeys.HourOf(start) <= start
                        && start + item.Length <= EpochKeys.HourOf(start).AddHours(1)
                        && EpochKeys.TryParse(key, item.Length, out var parsed)
                        && parsed == start
                        && EpochKeys.ChainEpoch(start) % (ulong)item.Length.TotalSeconds == 0;
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void EpochReward_OneMinuteAndTenSeconds_IsTheHourlyRewardProRataRoundedDown()
    {
        var hourly = NexusOrleans.Grains.Ledger.Tokens.Whole(100);

        Assert.Equal(hourly, ClusterEpochInputs.EpochReward(hourly, EpochKeys.Hour));
        Assert.Equal(UInt128.Parse("1666666666666666666"), ClusterEpochInputs.EpochReward(hourly, TimeSpan.FromMinutes(1)));
        Assert.Equal(UInt128.Parse("277777777777777777"), ClusterEpochInputs.EpochReward(hourly, TimeSpan.FromSeconds(10)));
    }
}
