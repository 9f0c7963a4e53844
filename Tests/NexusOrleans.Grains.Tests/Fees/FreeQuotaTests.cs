using NexusOrleans.Grains.Fees;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Fees;

/// <summary>The daily free messages: each id counted once, the limit held across restarts, the state gone after its day.</summary>
public abstract class FreeQuotaTests : NetworkSiloTest
{
    private readonly string _identity = Envelopes.NewIdentity();
    private DateTimeOffset _day;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _day = Now;
    }

    [Fact]
    public async Task TryUse_TheSameIdAgain_CountsItOnceAndStaysFree()
    {
        var silo = await StartSiloAsync();
        var quota = silo.Grains.GetFreeQuota(_identity, Now);
        var (first, second, third) = (Envelopes.NewIdentity(), Envelopes.NewIdentity(), Envelopes.NewIdentity());

        var answers = new[]
        {
            await quota.TryUse(first, 2),
            await quota.TryUse(first, 2),
            await quota.TryUse(second, 2),
            await quota.TryUse(third, 2),
            await quota.TryUse(first, 2),
        };

        Assert.Equal([true, true, true, false, true], answers);
        Assert.Equal(new[] { first, second }.Order(), (await StoredAsync(silo))!.MessageIds.Order());
    }

    [Fact]
    public async Task TryUse_AfterARestart_StillCountsWhatWasUsed()
    {
        var first = await StartSiloAsync();
        await first.Grains.GetFreeQuota(_identity, Now).TryUse(Envelopes.NewIdentity(), 1);
        await first.StopAsync();

        var second = await StartSiloAsync();

        Assert.False(await second.Grains.GetFreeQuota(_identity, Now).TryUse(Envelopes.NewIdentity(), 1));
    }

    [Fact]
    public async Task TryUse_ANewDay_HasItsOwnQuota()
    {
        var silo = await StartSiloAsync();
        Assert.True(await silo.Grains.GetFreeQuota(_identity, Now).TryUse(Envelopes.NewIdentity(), 1));
        Assert.False(await silo.Grains.GetFreeQuota(_identity, Now).TryUse(Envelopes.NewIdentity(), 1));

        Assert.True(await silo.Grains.GetFreeQuota(_identity, Now.AddDays(1)).TryUse(Envelopes.NewIdentity(), 1));
    }

    [Fact]
    public async Task State_OneDayAfterItsDayEnded_IsDeleted()
    {
        var silo = await StartSiloAsync();
        await silo.Grains.GetFreeQuota(_identity, Now.AddHours(10)).TryUse(Envelopes.NewIdentity(), 5);
        Assert.NotNull(await StoredAsync(silo));

        Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await StoredAsync(silo));
        Clock.Advance(TimeSpan.FromSeconds(2));

        await Eventually(async () => await StoredAsync(silo) is null, "the past day's quota is deleted");
    }

    [Fact]
    public async Task TryUse_UpToTheLimit_StoresAtMostTheLimitOfIds()
    {
        var silo = await StartSiloAsync();
        var quota = silo.Grains.GetFreeQuota(_identity, Now);

        for (var i = 0; i < 5; i++)
        {
            await quota.TryUse(Envelopes.NewIdentity(), 3);
        }

        Assert.Equal(3, (await StoredAsync(silo))!.MessageIds.Count);
    }

    [Theory]
    [InlineData("alice:2026-01-01")]
    [InlineData("6a8a1a8fbf5f9186a336e1bc6b3748c495af17b612dce394880463df3a34eb2f:2026-13-01")]
    [InlineData("6a8a1a8fbf5f9186a336e1bc6b3748c495af17b612dce394880463df3a34eb2f")]
    [InlineData("6A8A1A8FBF5F9186A336E1BC6B3748C495AF17B612DCE394880463DF3A34EB2F:2026-01-01")]
    public async Task Activation_WithAMalformedKey_FailsNamingTheFormat(string key)
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => silo.Grains.GetGrain<IFreeQuotaGrain>(key).TryUse(Envelopes.NewIdentity(), 1));

        Assert.Contains("A free quota key is {identity: 64 lowercase hex}:{UTC day: yyyy-MM-dd}", error.InnerException?.Message ?? error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryUse_AMalformedMessageId_Throws()
    {
        var silo = await StartSiloAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => silo.Grains.GetFreeQuota(_identity, Now).TryUse("not-an-id", 1));
    }

    // The quota of the test's first day, whatever the clock says by then.
    private Task<FreeQuotaState?> StoredAsync(TestSilo silo) => StoredStateAsync<FreeQuotaState>(silo, "free-quota", FreeQuotas.Key(_identity, _day));
}

public sealed class FreeQuotaTestsInMemory : FreeQuotaTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class FreeQuotaTestsOnSqlite : FreeQuotaTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}
